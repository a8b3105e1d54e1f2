package io.elektron.tokenizer;

import java.util.Arrays;

/**
 * One encoded sequence (a text or a text pair), all arrays of the same length.
 *
 * <p>Offsets are {@code [start, end)} UTF-16 indices into the ORIGINAL string the token came from
 * (for a pair, the second text's tokens index into the second text), so {@code
 * text.substring(start, end)} is the token's source even when lower-casing, accent stripping or
 * cleaning changed the characters. Added {@code [CLS]}/{@code [SEP]} and padding get {@code (0,
 * 0)}; special tokens written in the text keep their span.
 *
 * <p>Arrays are exposed as is (no defensive copies: encodings are produced in bulk for models), so
 * record equality is identity on the arrays; compare contents with {@link Arrays#equals}.
 *
 * @param inputIds token ids
 * @param tokenTypeIds 0 for the first sequence and its specials, 1 for the second and its final
 *     {@code [SEP]}, 0 for padding
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param tokens the vocabulary string of each id ({@code [UNK]} for unknown words)
 * @param offsets {@code offsets[i] = {start, end}}
 */
public record Encoding(
    int[] inputIds, int[] tokenTypeIds, int[] attentionMask, String[] tokens, int[][] offsets) {

  /** Number of positions, padding included. */
  public int length() {
    return inputIds.length;
  }

  /** Number of positions that are not padding. */
  public int realLength() {
    int real = 0;
    for (int mask : attentionMask) {
      real += mask;
    }
    return real;
  }

  @Override
  public String toString() {
    return "Encoding{tokens="
        + Arrays.toString(tokens)
        + ", inputIds="
        + Arrays.toString(inputIds)
        + ", tokenTypeIds="
        + Arrays.toString(tokenTypeIds)
        + ", attentionMask="
        + Arrays.toString(attentionMask)
        + ", offsets="
        + Arrays.deepToString(offsets)
        + "}";
  }
}
