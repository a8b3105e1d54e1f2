package io.elektron.bench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.elektron.tokenizer.Encoding;
import io.elektron.tokenizer.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread WordPiece throughput on the GoEmotions training texts: Elektron's {@code encode}
 * (ids, type ids, mask, token strings, offsets), Elektron's {@code encodeIds} (ids only), and HF's
 * Rust tokenizer through DJL ({@code encode}, which returns the same fields), all on the
 * bert-base-uncased vocabulary. One invocation encodes the next text (cycling through the corpus);
 * the {@code tokens} counter, in tokens/s, is the number to read ({@code [CLS]}/{@code [SEP]}
 * included).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TokenizerThroughputBenchmark -jvmArgsAppend
 * -Delektron.shared=/path/to/shared}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(1)
public class TokenizerThroughputBenchmark {

  /** The corpus and both tokenizers, built once per run. */
  @State(Scope.Benchmark)
  public static class Corpus {
    String[] texts;
    WordPieceTokenizer elektron;
    HuggingFaceTokenizer rust;

    @Setup(Level.Trial)
    public void load() throws IOException {
      List<String> lines = GoEmotionsTexts.load(GoEmotionsTexts.trainFile());
      texts = lines.toArray(new String[0]);
      elektron = WordPieceTokenizer.fromVocab(GoEmotionsTexts.uncasedVocab());
      Path folder = Files.createTempDirectory("elektron-djl-tokenizer");
      UncasedTokenizerJson.write(GoEmotionsTexts.uncasedVocab(), folder);
      rust =
          HuggingFaceTokenizer.newInstance(
              folder,
              Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
    }

    @TearDown(Level.Trial)
    public void close() {
      rust.close();
    }
  }

  /** Tokens produced, reported by JMH as a rate (tokens/s); plus the cursor into the corpus. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class TokenCount {
    public long tokens;
    int next;

    @Setup(Level.Iteration)
    public void reset() {
      tokens = 0;
    }

    String nextText(String[] texts) {
      String text = texts[next];
      next = next + 1 == texts.length ? 0 : next + 1;
      return text;
    }
  }

  @Benchmark
  public Encoding elektronEncode(Corpus corpus, TokenCount count) {
    Encoding encoding = corpus.elektron.encode(count.nextText(corpus.texts));
    count.tokens += encoding.length();
    return encoding;
  }

  @Benchmark
  public int[] elektronEncodeIds(Corpus corpus, TokenCount count) {
    int[] ids = corpus.elektron.encodeIds(count.nextText(corpus.texts));
    count.tokens += ids.length;
    return ids;
  }

  @Benchmark
  public long[] rustEncode(Corpus corpus, TokenCount count) {
    long[] ids = corpus.rust.encode(count.nextText(corpus.texts)).getIds();
    count.tokens += ids.length;
    return ids;
  }
}
