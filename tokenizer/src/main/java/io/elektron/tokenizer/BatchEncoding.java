package io.elektron.tokenizer;

import java.util.List;

/**
 * The encodings of a batch, in input order; with padding they all have the same length, ready to
 * become {@code [B, T]} tensors.
 *
 * @param encodings one encoding per input text (or pair)
 */
public record BatchEncoding(List<Encoding> encodings) {

  /** Copies the list (the encodings themselves are shared). */
  public BatchEncoding {
    encodings = List.copyOf(encodings);
  }

  /** Number of sequences. */
  public int size() {
    return encodings.size();
  }

  /** Encoding {@code index}. */
  public Encoding get(int index) {
    return encodings.get(index);
  }

  /** Input ids, {@code [B][T]} (rows differ in length when not padded). */
  public int[][] inputIds() {
    int[][] rows = new int[encodings.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = encodings.get(i).inputIds();
    }
    return rows;
  }

  /** Token type ids, {@code [B][T]}. */
  public int[][] tokenTypeIds() {
    int[][] rows = new int[encodings.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = encodings.get(i).tokenTypeIds();
    }
    return rows;
  }

  /** Attention masks, {@code [B][T]}. */
  public int[][] attentionMask() {
    int[][] rows = new int[encodings.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = encodings.get(i).attentionMask();
    }
    return rows;
  }
}
