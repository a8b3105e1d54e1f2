package io.elektron.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The names of a WordPiece tokenizer's special tokens. Every special token (and every entry of
 * {@code additional}) is recognised anywhere in the input text, as HF's {@code from_pretrained} and
 * fast tokenizers do: {@code "x[MASK]y"} gives {@code x}, {@code [MASK]}, {@code y}.
 *
 * @param unk token for words the vocabulary cannot spell; must be in the vocabulary
 * @param cls sequence-start token added by {@link WordPieceTokenizer#encode(String)}
 * @param sep sequence separator/end token
 * @param pad padding token used by batch padding
 * @param mask masked-language-model token
 * @param additional further special tokens ({@code additional_special_tokens} in HF configs)
 */
public record SpecialTokens(
    String unk, String cls, String sep, String pad, String mask, List<String> additional) {

  /** Checks that no name is null and copies {@code additional}. */
  public SpecialTokens {
    Objects.requireNonNull(unk, "unk");
    Objects.requireNonNull(cls, "cls");
    Objects.requireNonNull(sep, "sep");
    Objects.requireNonNull(pad, "pad");
    Objects.requireNonNull(mask, "mask");
    additional = List.copyOf(additional);
  }

  /** BERT/ELECTRA's {@code [UNK] [CLS] [SEP] [PAD] [MASK]}, no additional tokens. */
  public static SpecialTokens bert() {
    return new SpecialTokens("[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", List.of());
  }

  /** The five named tokens followed by the additional ones, in that order. */
  public List<String> all() {
    ArrayList<String> all = new ArrayList<>(5 + additional.size());
    all.add(unk);
    all.add(cls);
    all.add(sep);
    all.add(pad);
    all.add(mask);
    all.addAll(additional);
    return all;
  }

  /** A copy with the unknown token replaced. */
  public SpecialTokens withUnk(String token) {
    return new SpecialTokens(token, cls, sep, pad, mask, additional);
  }

  /** A copy with the classification token replaced. */
  public SpecialTokens withCls(String token) {
    return new SpecialTokens(unk, token, sep, pad, mask, additional);
  }

  /** A copy with the separator token replaced. */
  public SpecialTokens withSep(String token) {
    return new SpecialTokens(unk, cls, token, pad, mask, additional);
  }

  /** A copy with the padding token replaced. */
  public SpecialTokens withPad(String token) {
    return new SpecialTokens(unk, cls, sep, token, mask, additional);
  }

  /** A copy with the mask token replaced. */
  public SpecialTokens withMask(String token) {
    return new SpecialTokens(unk, cls, sep, pad, token, additional);
  }

  /** A copy with the additional special tokens replaced. */
  public SpecialTokens withAdditional(List<String> tokens) {
    return new SpecialTokens(unk, cls, sep, pad, mask, tokens);
  }
}
