package io.elektron.bench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.elektron.tokenizer.Encoding;
import io.elektron.tokenizer.WordPieceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Quick single-thread timing of Elektron's WordPiece tokenizer against HF's Rust tokenizer (DJL) on
 * the GoEmotions training texts, plus an id-for-id parity check on every text.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.elektron.bench.tokenizer.TokenizerThroughputMain
 * [passes]}; the data is found through {@code -Delektron.shared=...} (default {@code ../shared}).
 * Each implementation runs warm-up passes, then {@code passes} timed passes interleaved with the
 * other's, and the median pass gives tokens/s.
 */
public final class TokenizerThroughputMain {
  private TokenizerThroughputMain() {}

  public static void main(String[] args) throws Exception {
    int passes = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    List<String> texts = GoEmotionsTexts.load(GoEmotionsTexts.trainFile());
    WordPieceTokenizer elektron = WordPieceTokenizer.fromVocab(GoEmotionsTexts.uncasedVocab());
    Path folder = Files.createTempDirectory("elektron-djl-tokenizer");
    UncasedTokenizerJson.write(GoEmotionsTexts.uncasedVocab(), folder);
    try (HuggingFaceTokenizer rust =
        HuggingFaceTokenizer.newInstance(
            folder,
            Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
      String[] textArray = texts.toArray(new String[0]);

      long tokens = 0;
      int mismatches = 0;
      for (String text : textArray) {
        int[] ours = elektron.encode(text).inputIds();
        long[] theirs = rust.encode(text).getIds();
        tokens += ours.length;
        if (!sameIds(ours, theirs)) {
          if (mismatches < 5) {
            System.out.println(
                "MISMATCH: "
                    + text
                    + "\n  elektron "
                    + Arrays.toString(ours)
                    + "\n  rust     "
                    + Arrays.toString(theirs));
          }
          mismatches++;
        }
      }
      System.out.printf(
          "texts %d, tokens %d (with [CLS]/[SEP]), id mismatches vs Rust: %d%n",
          textArray.length, tokens, mismatches);

      for (int warmup = 0; warmup < 3; warmup++) {
        passEncode(elektron, textArray);
        passIds(elektron, textArray);
        passRust(rust, textArray);
      }
      double[] encodeSeconds = new double[passes];
      double[] idsSeconds = new double[passes];
      double[] rustSeconds = new double[passes];
      long sink = 0;
      for (int p = 0; p < passes; p++) {
        long start = System.nanoTime();
        sink += passEncode(elektron, textArray);
        encodeSeconds[p] = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        sink += passIds(elektron, textArray);
        idsSeconds[p] = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        sink += passRust(rust, textArray);
        rustSeconds[p] = (System.nanoTime() - start) / 1e9;
      }
      double encodeRate = tokens / median(encodeSeconds);
      double idsRate = tokens / median(idsSeconds);
      double rustRate = tokens / median(rustSeconds);
      System.out.printf(
          "elektron encode()    %,12.0f tok/s  (median of %d passes; min %.3f s, max %.3f s)%n",
          encodeRate, passes, min(encodeSeconds), max(encodeSeconds));
      System.out.printf(
          "elektron encodeIds() %,12.0f tok/s  (min %.3f s, max %.3f s)%n",
          idsRate, min(idsSeconds), max(idsSeconds));
      System.out.printf(
          "rust (DJL) encode()  %,12.0f tok/s  (min %.3f s, max %.3f s)%n",
          rustRate, min(rustSeconds), max(rustSeconds));
      System.out.printf(
          "ratio encode/rust %.2fx, encodeIds/rust %.2fx   (checksum %d)%n",
          encodeRate / rustRate, idsRate / rustRate, sink);
    }
  }

  private static long passEncode(WordPieceTokenizer tokenizer, String[] texts) {
    long sum = 0;
    for (String text : texts) {
      Encoding encoding = tokenizer.encode(text);
      sum += encoding.inputIds()[encoding.length() - 2] + encoding.offsets().length;
    }
    return sum;
  }

  private static long passIds(WordPieceTokenizer tokenizer, String[] texts) {
    long sum = 0;
    for (String text : texts) {
      int[] ids = tokenizer.encodeIds(text);
      sum += ids[ids.length - 2];
    }
    return sum;
  }

  private static long passRust(HuggingFaceTokenizer tokenizer, String[] texts) {
    long sum = 0;
    for (String text : texts) {
      long[] ids = tokenizer.encode(text).getIds();
      sum += ids[ids.length - 2];
    }
    return sum;
  }

  private static boolean sameIds(int[] ours, long[] theirs) {
    if (ours.length != theirs.length) {
      return false;
    }
    for (int i = 0; i < ours.length; i++) {
      if (ours[i] != theirs[i]) {
        return false;
      }
    }
    return true;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }
}
