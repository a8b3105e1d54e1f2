package io.elektron.model.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One example of a multi-label text dataset.
 *
 * <p>The arrays are copied on construction and handed out as they are (no copy per access, since
 * a trainer reads them every batch): do not modify what the accessors return.
 *
 * @param text the text; {@code null} only for pre-tokenized examples (then {@code inputIds} is set)
 * @param textPair the optional second text of a pair task, else {@code null}
 * @param labels {@code [L]} gold labels, or {@code null} for an unlabeled example (prediction input)
 * @param id the example's id from the file, or {@code null} when the format/file has none
 * @param inputIds pre-tokenized token ids, or {@code null}
 * @param attentionMask pre-tokenized attention mask (same length as {@code inputIds}), or {@code
 *     null}
 * @param tokenTypeIds pre-tokenized segment ids (same length as {@code inputIds}), or {@code null}
 */
public record Example(
    String text,
    String textPair,
    boolean[] labels,
    String id,
    int[] inputIds,
    int[] attentionMask,
    int[] tokenTypeIds) {

  public Example {
    if (text == null && inputIds == null) {
      throw new IllegalArgumentException("an example needs a text or input ids");
    }
    if (inputIds == null && (attentionMask != null || tokenTypeIds != null)) {
      throw new IllegalArgumentException("attention mask or token type ids without input ids");
    }
    if (attentionMask != null && attentionMask.length != inputIds.length) {
      throw new IllegalArgumentException("attention mask has " + attentionMask.length
          + " entries for " + inputIds.length + " input ids");
    }
    if (tokenTypeIds != null && tokenTypeIds.length != inputIds.length) {
      throw new IllegalArgumentException("token type ids have " + tokenTypeIds.length
          + " entries for " + inputIds.length + " input ids");
    }
    labels = labels == null ? null : labels.clone();
    inputIds = inputIds == null ? null : inputIds.clone();
    attentionMask = attentionMask == null ? null : attentionMask.clone();
    tokenTypeIds = tokenTypeIds == null ? null : tokenTypeIds.clone();
  }

  /** A text example (no pre-tokenized ids). */
  public Example(String text, String textPair, boolean[] labels, String id) {
    this(text, textPair, labels, id, null, null, null);
  }

  /** Whether gold labels are present. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** Whether the example carries token ids instead of (or besides) text. */
  public boolean isPreTokenized() {
    return inputIds != null;
  }

  /** Indices of the positive labels, ascending; empty when unlabeled. */
  public int[] labelIds() {
    if (labels == null) {
      return new int[0];
    }
    int count = 0;
    for (boolean positive : labels) {
      if (positive) {
        count++;
      }
    }
    int[] ids = new int[count];
    for (int l = 0, k = 0; l < labels.length; l++) {
      if (labels[l]) {
        ids[k++] = l;
      }
    }
    return ids;
  }

  /**
   * {@code [L]} 0/1 float targets for BCE-with-logits. Float on purpose: integer targets make HF
   * switch to single-label cross-entropy (PITFALLS.md), and BCE needs floats anyway.
   *
   * @throws IllegalStateException for an unlabeled example
   */
  public float[] targets() {
    if (labels == null) {
      throw new IllegalStateException("example " + (id == null ? "" : id + " ") + "has no labels");
    }
    float[] targets = new float[labels.length];
    for (int l = 0; l < labels.length; l++) {
      targets[l] = labels[l] ? 1f : 0f;
    }
    return targets;
  }

  /** Value equality, comparing arrays by content (a record would compare references). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Example that
        && Objects.equals(text, that.text)
        && Objects.equals(textPair, that.textPair)
        && Arrays.equals(labels, that.labels)
        && Objects.equals(id, that.id)
        && Arrays.equals(inputIds, that.inputIds)
        && Arrays.equals(attentionMask, that.attentionMask)
        && Arrays.equals(tokenTypeIds, that.tokenTypeIds);
  }

  @Override
  public int hashCode() {
    int hash = Objects.hash(text, textPair, id);
    hash = 31 * hash + Arrays.hashCode(labels);
    hash = 31 * hash + Arrays.hashCode(inputIds);
    hash = 31 * hash + Arrays.hashCode(attentionMask);
    return 31 * hash + Arrays.hashCode(tokenTypeIds);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Example[");
    if (id != null) {
      out.append("id=").append(id).append(", ");
    }
    out.append("text=").append(text);
    if (textPair != null) {
      out.append(", textPair=").append(textPair);
    }
    if (labels != null) {
      out.append(", labelIds=").append(Arrays.toString(labelIds()));
    }
    if (inputIds != null) {
      out.append(", inputIds=").append(Arrays.toString(inputIds));
    }
    return out.append(']').toString();
  }
}
