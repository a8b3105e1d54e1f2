package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of the tokenizer's file parsers and of encoding arbitrary text.
 *
 * <p>Loading contract: any {@code vocab.txt}, {@code tokenizer.json} or {@code
 * tokenizer_config.json} either loads or fails with a {@link TokenizerException} that has a
 * message; anything else (another unchecked exception, an {@link OutOfMemoryError} from a lying
 * id, a hang past the timeout) is a finding. Encoding contract: a loaded tokenizer encodes any
 * string without throwing, and the encoding is consistent (ids inside the vocabulary, offsets
 * inside the text and in order, all arrays of one length).
 *
 * <p>{@code mvn test} runs only the committed seeds ({@code
 * src/test/resources/io/elektron/tokenizer/TokenizerFuzzTestInputs/<method>/}); {@code
 * JAZZER_FUZZ=1} fuzzes one method (see docs/reliability.md).
 */
class TokenizerFuzzTest {
  /** Probed after every successful load: specials, CJK, accents, controls, a long word. */
  private static final List<String> PROBES =
      List.of(
          "",
          "Hello, World! [MASK] x[SEP]y",
          "Ünïcödé ΣΑΣ İstanbul 中文字 \u200b\u0000\ud83d\ude00 end",
          "a".repeat(150) + " ##b ## [UNK]");

  // A vocabulary with duplicate lines logs a warning; at thousands of inputs per second that is
  // noise. Held in a field so the configured logger is not collected.
  private static final Logger VOCAB_LOG = quiet(VocabFileReader.class.getName());

  private static final Path TINY_VOCAB = TestResources.tinyVocab();

  /** Tokenizers for the encode target, one per (vocabulary, options) combination. */
  private static final Map<Integer, WordPieceTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

  @FuzzTest
  @Timeout(10)
  void vocabFile(byte[] file) throws IOException {
    Path vocab = FuzzFiles.write("vocab.txt", file);
    WordPieceTokenizer tokenizer;
    try {
      tokenizer = WordPieceTokenizer.fromVocab(vocab);
    } catch (TokenizerException e) {
      assertHasMessage(e);
      return;
    }
    probe(tokenizer);
  }

  @DictionaryEntries({
    "\"model\"", "\"type\"", "\"WordPiece\"", "\"vocab\"", "\"unk_token\"", "\"normalizer\"",
    "\"BertNormalizer\"", "\"pre_tokenizer\"", "\"BertPreTokenizer\"", "\"post_processor\"",
    "\"TemplateProcessing\"", "\"BertProcessing\"", "\"single\"", "\"SpecialToken\"", "\"id\"",
    "\"added_tokens\"", "\"content\"", "\"special\"", "\"continuing_subword_prefix\"",
    "\"max_input_chars_per_word\"", "\"strip_accents\"", "\"lowercase\"", "\"clean_text\"",
    "\"handle_chinese_chars\"", "\"decoder\"", "\"cleanup\"", "\"padding\"", "\"pad_token\"",
    "\"cls\"", "\"sep\"", "2147483647", "4294967296", "null", "true"
  })
  @FuzzTest
  @Timeout(10)
  void tokenizerJson(byte[] file) throws IOException {
    Path json = FuzzFiles.write("tokenizer.json", file);
    WordPieceTokenizer tokenizer;
    try {
      tokenizer = WordPieceTokenizer.fromTokenizerJson(json);
    } catch (TokenizerException e) {
      assertHasMessage(e);
      return;
    }
    probe(tokenizer);
  }

  /**
   * A model folder with the tiny vocabulary and a fuzzed side file: the first byte picks {@code
   * tokenizer_config.json}, {@code special_tokens_map.json} or {@code added_tokens.json}, the rest
   * is its content.
   */
  @DictionaryEntries({
    "\"do_lower_case\"", "\"strip_accents\"", "\"tokenize_chinese_chars\"", "\"model_max_length\"",
    "\"max_len\"", "\"unk_token\"", "\"cls_token\"", "\"sep_token\"", "\"pad_token\"",
    "\"mask_token\"", "\"additional_special_tokens\"", "\"added_tokens_decoder\"", "\"content\"",
    "\"special\"", "\"do_basic_tokenize\"", "\"clean_up_tokenization_spaces\"", "2147483647",
    "1000000000000000019884624838656", "null", "true", "false"
  })
  @FuzzTest
  @Timeout(10)
  void tokenizerFolder(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    String sideFile =
        switch ((input[0] & 0xff) % 3) {
          case 0 -> TokenizerConfigReader.TOKENIZER_CONFIG;
          case 1 -> TokenizerConfigReader.SPECIAL_TOKENS_MAP;
          default -> TokenizerConfigReader.ADDED_TOKENS;
        };
    Path folder = FuzzFiles.folder();
    Files.copy(TINY_VOCAB, folder.resolve(WordPieceTokenizer.VOCAB_TXT));
    Files.write(folder.resolve(sideFile), Arrays.copyOfRange(input, 1, input.length));
    WordPieceTokenizer tokenizer;
    try {
      tokenizer = WordPieceTokenizer.fromFolder(folder);
    } catch (TokenizerException e) {
      assertHasMessage(e);
      return;
    }
    probe(tokenizer);
  }

  /**
   * Arbitrary text (and a second text) through a fixed vocabulary with fuzzed settings: the real
   * 30,522-token uncased vocabulary or the tiny one, lower-casing, accent stripping, CJK
   * splitting, cleaning, truncation and padding.
   */
  @FuzzTest
  @Timeout(10)
  void encode(FuzzedDataProvider data) {
    boolean realVocab = data.consumeBoolean();
    boolean lowercase = data.consumeBoolean();
    AccentStripping accents = data.pickValue(AccentStripping.values());
    boolean chinese = data.consumeBoolean();
    boolean clean = data.consumeBoolean();
    int maxLength = data.consumeInt(0, 64);
    TruncationStrategy truncation = data.pickValue(TruncationStrategy.values());
    PaddingStrategy padding = data.pickValue(PaddingStrategy.values());
    boolean pair = data.consumeBoolean();
    String second = pair ? data.consumeString(200) : null;
    String text = data.consumeRemainingAsString();

    int key =
        (realVocab ? 1 : 0)
            | (lowercase ? 2 : 0)
            | accents.ordinal() << 2
            | (chinese ? 16 : 0)
            | (clean ? 32 : 0);
    WordPieceTokenizer tokenizer =
        TOKENIZERS.computeIfAbsent(
            key,
            k -> {
              TokenizerOptions options =
                  TokenizerOptions.uncased()
                      .withLowercase(lowercase)
                      .withAccentStripping(accents)
                      .withTokenizeChineseChars(chinese)
                      .withCleanText(clean);
              return WordPieceTokenizer.fromVocab(
                  realVocab ? TestResources.uncasedVocab() : TINY_VOCAB, options);
            });

    // Without truncation and padding, every token of tokenize() appears between the specials.
    Encoding plain = tokenizer.encode(text);
    checkEncoding(tokenizer, plain, text, null);
    assertEquals(tokenizer.tokenize(text).size() + 2, plain.length());
    assertEquals(plain.length(), tokenizer.encodeIds(text).length);
    tokenizer.decode(plain.inputIds());
    tokenizer.decode(plain.inputIds(), false, false);

    EncodeOptions options =
        EncodeOptions.defaults()
            .withTruncation(truncation, maxLength == 0 ? 1 : maxLength)
            .withPadding(padding);
    Encoding shaped;
    try {
      shaped = pair ? tokenizer.encodePair(text, second, options) : tokenizer.encode(text, options);
    } catch (TokenizerException e) {
      // Documented refusals: truncation that would remove a whole sequence or the specials,
      // ONLY_SECOND without a pair.
      assertTrue(e.getMessage().startsWith("cannot truncate") || e.getMessage().contains("pair"));
      return;
    }
    checkEncoding(tokenizer, shaped, text, second);
    if (truncation != TruncationStrategy.DO_NOT_TRUNCATE) {
      assertTrue(shaped.realLength() <= Math.max(1, maxLength), shaped::toString);
    }
  }

  /** Every array one length; ids in the vocabulary; offsets inside their text and in order. */
  private static void checkEncoding(
      WordPieceTokenizer tokenizer, Encoding encoding, String first, String second) {
    int n = encoding.length();
    assertEquals(n, encoding.tokenTypeIds().length);
    assertEquals(n, encoding.attentionMask().length);
    assertEquals(n, encoding.tokens().length);
    assertEquals(n, encoding.offsets().length);
    int[] lastStart = {0, 0};
    for (int i = 0; i < n; i++) {
      int id = encoding.inputIds()[i];
      assertTrue(id >= 0 && id < tokenizer.vocabSize(), "id " + id);
      assertEquals(tokenizer.idToToken(id), encoding.tokens()[i]);
      int type = encoding.tokenTypeIds()[i];
      assertTrue(type == 0 || type == 1);
      int[] span = encoding.offsets()[i];
      String source = type == 0 ? first : second;
      assertNotNull(source, "token type 1 without a second text");
      assertTrue(
          0 <= span[0] && span[0] <= span[1] && span[1] <= source.length(),
          () -> "offsets " + span[0] + ".." + span[1] + " outside a text of " + source.length());
      if (span[1] > 0) {
        assertTrue(span[0] >= lastStart[type], () -> "offsets out of order: " + encoding);
        lastStart[type] = span[0];
      }
    }
  }

  private static void probe(WordPieceTokenizer tokenizer) {
    for (String text : PROBES) {
      List<String> tokens = tokenizer.tokenize(text);
      tokens.forEach(token -> assertNotNull(token));
      if (tokenizer.clsId() >= 0 && tokenizer.sepId() >= 0) {
        Encoding encoding = tokenizer.encode(text);
        checkEncoding(tokenizer, encoding, text, null);
        tokenizer.decode(encoding.inputIds());
      }
    }
  }

  private static void assertHasMessage(TokenizerException e) {
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "exception without message");
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.OFF);
    return logger;
  }

  /**
   * Input files in one scratch directory per JVM; each input gets a fresh name (or folder) and the
   * previous one is deleted.
   */
  static final class FuzzFiles {
    private static final Path DIRECTORY = createDirectory();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static Path previous;

    private FuzzFiles() {}

    static synchronized Path write(String name, byte[] bytes) throws IOException {
      return Files.write(folder().resolve(name), bytes);
    }

    /** A fresh empty folder; the previous one and its files are deleted. */
    static synchronized Path folder() throws IOException {
      if (previous != null) {
        deleteTree(previous);
      }
      previous = Files.createDirectory(DIRECTORY.resolve(Long.toString(COUNTER.incrementAndGet())));
      return previous;
    }

    private static void deleteTree(Path folder) throws IOException {
      try (var files = Files.list(folder)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(folder);
    }

    private static Path createDirectory() {
      try {
        Path directory = Files.createTempDirectory("elektron-fuzz-");
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        if (previous != null) {
                          deleteTree(previous);
                        }
                        Files.deleteIfExists(directory);
                      } catch (IOException ignored) {
                        // a leftover scratch file in the temp directory is harmless
                      }
                    }));
        return directory;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
