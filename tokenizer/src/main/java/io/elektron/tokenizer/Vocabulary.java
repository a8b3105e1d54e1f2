package io.elektron.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A WordPiece vocabulary: every id's token, and the reverse lookup.
 *
 * <p>Duplicate tokens are legal (the real {@code bert-base-chinese} vocab.txt repeats 53 lines):
 * token to id takes the LAST occurrence, as HF's {@code load_vocab} dict does, while id to token
 * keeps every line, so {@link #size()} is the number of lines: the embedding matrix's row count.
 * (HF's slow tokenizer maps the shadowed ids back to {@code [UNK]} and reports the smaller distinct
 * count as {@code vocab_size}; neither helps anyone.)
 *
 * <p>Tokens added beyond the base vocabulary ({@code added_tokens.json}, a {@code tokenizer.json}'s
 * {@code added_tokens}) get their own ids; they are looked up before the base vocabulary, as in HF,
 * but never produced by WordPiece itself.
 */
public final class Vocabulary {
  private final String source;
  private final String[] tokens;
  private final int baseSize;
  private final String continuingSubwordPrefix;

  /** Every base token by its full text (word-initial pieces, and {@link #id(String)}). */
  private final CharRangeIndex wordStartIndex;

  /** Base tokens that start with the continuation prefix, keyed by the text after it. */
  private final CharRangeIndex continuationIndex;

  /** Added tokens; they shadow base tokens of the same text. */
  private final Map<String, Integer> addedTokenIds;

  private Vocabulary(
      String source,
      String[] tokens,
      int baseSize,
      String continuingSubwordPrefix,
      Map<String, Integer> addedTokenIds) {
    this.source = source;
    this.tokens = tokens;
    this.baseSize = baseSize;
    this.continuingSubwordPrefix = continuingSubwordPrefix;
    this.addedTokenIds = Map.copyOf(addedTokenIds);
    CharRangeIndex.Builder starts = new CharRangeIndex.Builder();
    CharRangeIndex.Builder continuations = new CharRangeIndex.Builder();
    int prefixLength = continuingSubwordPrefix.length();
    for (int id = 0; id < baseSize; id++) {
      String token = tokens[id];
      starts.put(token, id);
      if (prefixLength > 0
          && token.length() > prefixLength
          && token.startsWith(continuingSubwordPrefix)) {
        continuations.put(token, prefixLength, token.length(), id);
      }
    }
    this.wordStartIndex = starts.build();
    this.continuationIndex = continuations.build();
  }

  /**
   * A vocabulary whose token {@code i} is {@code lines.get(i)}.
   *
   * @param source where the tokens came from, for error messages (usually the file path)
   */
  public static Vocabulary of(List<String> lines, String continuingSubwordPrefix, String source) {
    return new Vocabulary(
        source, lines.toArray(new String[0]), lines.size(), continuingSubwordPrefix, Map.of());
  }

  /**
   * A copy with extra tokens at the given ids. An id inside the base vocabulary must hold the same
   * token (HF's added-token entries for BERT's special tokens do); an id beyond it extends the
   * vocabulary, and the extension must leave no gaps.
   */
  Vocabulary withAddedTokens(Map<Integer, String> tokensById) {
    if (tokensById.isEmpty()) {
      return this;
    }
    int maxId = tokensById.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    // Ids past the vocabulary must be filled by these tokens alone, so none can exceed this bound.
    // Checked before allocating: a hostile id (2000000000) would otherwise demand gigabytes of
    // heap, and Integer.MAX_VALUE would overflow the array length.
    if (maxId >= tokens.length + tokensById.size()) {
      throw new TokenizerException(
          source
              + ": added token '"
              + tokensById.get(maxId)
              + "' has id "
              + maxId
              + ", but the vocabulary has "
              + tokens.length
              + " tokens and there are only "
              + tokensById.size()
              + " added tokens (ids must be contiguous)");
    }
    String[] extended = Arrays.copyOf(tokens, Math.max(tokens.length, maxId + 1));
    Map<String, Integer> added = new HashMap<>(addedTokenIds);
    for (Map.Entry<Integer, String> entry : tokensById.entrySet()) {
      int id = entry.getKey();
      String token = entry.getValue();
      if (id < 0) {
        throw new TokenizerException(
            source + ": added token '" + token + "' has negative id " + id);
      }
      if (id < tokens.length && !tokens[id].equals(token)) {
        throw new TokenizerException(
            source
                + ": added token '"
                + token
                + "' claims id "
                + id
                + ", which is '"
                + tokens[id]
                + "' in the vocabulary");
      }
      extended[id] = token;
      added.put(token, id);
    }
    for (int id = tokens.length; id < extended.length; id++) {
      if (extended[id] == null) {
        throw new TokenizerException(
            source + ": added tokens leave id " + id + " without a token (ids must be contiguous)");
      }
    }
    return new Vocabulary(source, extended, baseSize, continuingSubwordPrefix, added);
  }

  /** Number of ids: base lines (duplicates included) plus added tokens. */
  public int size() {
    return tokens.length;
  }

  /** The token of {@code id}. */
  public String token(int id) {
    if (id < 0 || id >= tokens.length) {
      throw new IndexOutOfBoundsException(
          "token id " + id + " outside the vocabulary of " + tokens.length + " (" + source + ")");
    }
    return tokens[id];
  }

  /** The id of {@code token} (the last line holding it), or -1 when it is not in the vocabulary. */
  public int id(String token) {
    Integer added = addedTokenIds.get(token);
    if (added != null) {
      return added;
    }
    return wordStartIndex.get(token);
  }

  /** Whether {@code token} has an id. */
  public boolean contains(String token) {
    return id(token) >= 0;
  }

  /** Whether {@code id} lies beyond the base vocabulary (a token added on top of vocab lines). */
  public boolean isAddedToken(int id) {
    return id >= baseSize && id < tokens.length;
  }

  /** Number of base vocabulary lines (duplicates included), without added tokens. */
  public int baseSize() {
    return baseSize;
  }

  /**
   * Tokens registered as added tokens (with explicit ids); like special tokens, they are matched
   * anywhere in the input text before WordPiece runs.
   */
  public Set<String> addedTokens() {
    return addedTokenIds.keySet();
  }

  /** Where the vocabulary came from (a file path), as used in error messages. */
  public String source() {
    return source;
  }

  /** The continuation prefix ({@code ##}). */
  public String continuingSubwordPrefix() {
    return continuingSubwordPrefix;
  }

  /** Lookup of word-initial pieces. */
  CharRangeIndex wordStartIndex() {
    return wordStartIndex;
  }

  /** Lookup of continuation pieces by their text after the prefix. */
  CharRangeIndex continuationIndex() {
    return continuationIndex;
  }
}
