package io.elektron.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately naive re-statement of HF's slow BERT tokenization in plain strings and lists, step
 * by step as the Python does it (whole-text cleaning, CJK spacing, whitespace split, per-word
 * lower-casing and NFD, punctuation split, WordPiece with a HashMap). It shares no code with the
 * production tokenizer, so agreement on random text is evidence that the streaming, table-driven
 * implementation keeps HF's semantics.
 */
final class ReferenceBertTokenizer {
  private final Map<String, Integer> vocab = new HashMap<>();
  private final boolean lowercase;
  private final boolean stripAccents;
  private final List<String> specials;
  private final int unknownId;

  ReferenceBertTokenizer(
      List<String> lines, boolean lowercase, boolean stripAccents, List<String> specials) {
    for (int i = 0; i < lines.size(); i++) {
      vocab.put(lines.get(i), i); // later lines win, like a Python dict built in order
    }
    this.lowercase = lowercase;
    this.stripAccents = stripAccents;
    this.specials = specials;
    this.unknownId = vocab.get("[UNK]");
  }

  List<Integer> tokenize(String text) {
    List<Integer> ids = new ArrayList<>();
    int segmentStart = 0;
    int i = 0;
    while (i < text.length()) {
      String longest = null;
      for (String special : specials) {
        if (text.startsWith(special, i)
            && (longest == null || special.length() > longest.length())) {
          longest = special;
        }
      }
      if (longest == null) {
        i++;
        continue;
      }
      basic(text.substring(segmentStart, i), ids);
      ids.add(vocab.getOrDefault(longest, unknownId));
      i += longest.length();
      segmentStart = i;
    }
    basic(text.substring(segmentStart), ids);
    return ids;
  }

  private void basic(String text, List<Integer> ids) {
    StringBuilder cleaned = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
              }
              cleaned.appendCodePoint(isWhitespace(cp) ? ' ' : cp);
            });
    StringBuilder spaced = new StringBuilder();
    cleaned
        .codePoints()
        .forEach(
            cp -> {
              if (isCjk(cp)) {
                spaced.append(' ').appendCodePoint(cp).append(' ');
              } else {
                spaced.appendCodePoint(cp);
              }
            });
    for (String token : splitOnWhitespace(spaced.toString())) {
      if (lowercase) {
        StringBuilder lower = new StringBuilder();
        token
            .codePoints()
            .forEach(
                cp -> lower.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT)));
        token = lower.toString();
      }
      if (stripAccents) {
        StringBuilder kept = new StringBuilder();
        Normalizer.normalize(token, Normalizer.Form.NFD)
            .codePoints()
            .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
            .forEach(kept::appendCodePoint);
        token = kept.toString();
      }
      for (String word : splitOnPunctuation(token)) {
        wordPiece(word, ids);
      }
    }
  }

  private void wordPiece(String word, List<Integer> ids) {
    int[] cps = word.codePoints().toArray();
    if (cps.length > 100) {
      ids.add(unknownId);
      return;
    }
    List<Integer> pieces = new ArrayList<>();
    int start = 0;
    while (start < cps.length) {
      int end = cps.length;
      Integer found = null;
      while (start < end) {
        String piece = new String(cps, start, end - start);
        if (start > 0) {
          piece = "##" + piece;
        }
        found = vocab.get(piece);
        if (found != null) {
          break;
        }
        end--;
      }
      if (found == null) {
        ids.add(unknownId);
        return;
      }
      pieces.add(found);
      start = end;
    }
    ids.addAll(pieces);
  }

  private static List<String> splitOnWhitespace(String text) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              // Python str.split(): isspace, which includes the line/paragraph separators.
              boolean space =
                  cp == ' '
                      || Character.getType(cp) == Character.SPACE_SEPARATOR
                      || Character.getType(cp) == Character.LINE_SEPARATOR
                      || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR;
              if (space) {
                if (current.length() > 0) {
                  tokens.add(current.toString());
                  current.setLength(0);
                }
              } else {
                current.appendCodePoint(cp);
              }
            });
    if (current.length() > 0) {
      tokens.add(current.toString());
    }
    return tokens;
  }

  private static List<String> splitOnPunctuation(String token) {
    List<String> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    token
        .codePoints()
        .forEach(
            cp -> {
              if (isPunctuation(cp)) {
                if (current.length() > 0) {
                  words.add(current.toString());
                  current.setLength(0);
                }
                words.add(new String(Character.toChars(cp)));
              } else {
                current.appendCodePoint(cp);
              }
            });
    if (current.length() > 0) {
      words.add(current.toString());
    }
    return words;
  }

  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    String category = category(cp);
    return category.startsWith("C");
  }

  private static boolean isWhitespace(int cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || category(cp).equals("Zs");
  }

  private static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    return category(cp).startsWith("P");
  }

  private static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /** Two-letter Unicode general category, as Python's {@code unicodedata.category}. */
  private static String category(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
        return "Cc";
      case Character.FORMAT:
        return "Cf";
      case Character.UNASSIGNED:
        return "Cn";
      case Character.PRIVATE_USE:
        return "Co";
      case Character.SURROGATE:
        return "Cs";
      case Character.SPACE_SEPARATOR:
        return "Zs";
      case Character.LINE_SEPARATOR:
        return "Zl";
      case Character.PARAGRAPH_SEPARATOR:
        return "Zp";
      case Character.CONNECTOR_PUNCTUATION:
        return "Pc";
      case Character.DASH_PUNCTUATION:
        return "Pd";
      case Character.START_PUNCTUATION:
        return "Ps";
      case Character.END_PUNCTUATION:
        return "Pe";
      case Character.INITIAL_QUOTE_PUNCTUATION:
        return "Pi";
      case Character.FINAL_QUOTE_PUNCTUATION:
        return "Pf";
      case Character.OTHER_PUNCTUATION:
        return "Po";
      default:
        return "L?";
    }
  }
}
