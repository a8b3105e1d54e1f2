package io.elektron.tokenizer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Finds special and added tokens anywhere in the original text, before any normalisation, as HF's
 * {@code from_pretrained} tokenizers (their trie split) and fast tokenizers do. Matching is
 * case-sensitive on the original text even when lower-casing is on: HF lower-cases everything
 * except these tokens, so {@code [MASK]} is special and {@code [mask]} is three words.
 *
 * <p>At each position the longest token starting there wins; the scan is leftmost-first. A table of
 * possible first chars makes the common case (text without {@code [}) one load per char.
 */
final class AddedTokenMatcher {
  private final String[] tokens;
  private final int[] ids;

  /** For ASCII first chars: whether some token starts with it. */
  private final boolean[] asciiFirst = new boolean[128];

  private final boolean anyNonAsciiFirst;

  AddedTokenMatcher(Collection<String> tokenTexts, Vocabulary vocabulary, int unknownId) {
    List<String> sorted = new ArrayList<>();
    for (String token : tokenTexts) {
      if (!token.isEmpty() && !sorted.contains(token)) {
        sorted.add(token);
      }
    }
    // Longest first, so the first match found at a position is the longest one.
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    tokens = sorted.toArray(new String[0]);
    ids = new int[tokens.length];
    boolean nonAscii = false;
    for (int i = 0; i < tokens.length; i++) {
      int id = vocabulary.id(tokens[i]);
      // HF maps a special token that is not in the vocabulary to the unknown token's id.
      ids[i] = id >= 0 ? id : unknownId;
      char first = tokens[i].charAt(0);
      if (first < 128) {
        asciiFirst[first] = true;
      } else {
        nonAscii = true;
      }
    }
    anyNonAsciiFirst = nonAscii;
  }

  /** Whether there is nothing to match. */
  boolean isEmpty() {
    return tokens.length == 0;
  }

  /**
   * The first match in {@code text[from, to)}: returns the match's index into this matcher's
   * tokens, with its start in {@code position[0]}, or -1 when there is none.
   */
  int find(String text, int from, int to, int[] position) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 128 ? !asciiFirst[c] : !anyNonAsciiFirst) {
        continue;
      }
      for (int t = 0; t < tokens.length; t++) {
        String token = tokens[t];
        if (i + token.length() <= to && text.startsWith(token, i)) {
          position[0] = i;
          return t;
        }
      }
    }
    return -1;
  }

  /** Length of matched token {@code index}. */
  int length(int index) {
    return tokens[index].length();
  }

  /** Vocabulary id of matched token {@code index}. */
  int id(int index) {
    return ids[index];
  }
}
