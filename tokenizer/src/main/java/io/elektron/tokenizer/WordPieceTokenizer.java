package io.elektron.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * HuggingFace-exact WordPiece tokenizer for BERT and ELECTRA models: same tokens and ids as
 * transformers' {@code BertTokenizer}/{@code ElectraTokenizer} loaded with {@code from_pretrained},
 * and as the fast (Rust) tokenizers.
 *
 * <p>Pipeline: special/added tokens are matched anywhere in the original text; the text between
 * them is cleaned (control and format characters deleted), CJK ideographs isolated, lower-cased and
 * accent-stripped if configured, split on whitespace and punctuation, and each word is split by
 * greedy longest-match-first WordPiece ({@code ##} continuations; words over 100 code points become
 * {@code [UNK]}).
 *
 * <p>Immutable and thread-safe: scratch buffers are per thread, so encoding allocates only its
 * results.
 *
 * <pre>{@code
 * WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(Path.of("google/electra-small"));
 * Encoding e = tokenizer.encode("Hello, World!");          // [CLS] hello , world ! [SEP]
 * BatchEncoding batch = tokenizer.encodeBatch(texts,
 *     EncodeOptions.truncatedTo(128).withPadding(PaddingStrategy.LONGEST));
 * }</pre>
 */
public final class WordPieceTokenizer {
  /** HF's fast-tokenizer file name. */
  public static final String TOKENIZER_JSON = "tokenizer.json";

  /** HF's slow-tokenizer vocabulary file name. */
  public static final String VOCAB_TXT = "vocab.txt";

  private final Vocabulary vocabulary;
  private final TokenizerOptions options;
  private final BasicTokenizer basicTokenizer;
  private final AddedTokenMatcher addedTokens;
  private final WordPieceDecoder decoder;

  /** Whether each id is a special token (skipped by {@code decode(..., true)}). */
  private final boolean[] specialIds;

  private final int unknownId;
  private final int clsId;
  private final int sepId;
  private final int padId;
  private final int maskId;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread reusable buffers. */
  private static final class Scratch {
    final WordBuffer word = new WordBuffer();
    final TokenBuffer tokens = new TokenBuffer();
    final int[] matchPosition = new int[1];
  }

  /**
   * A tokenizer over {@code vocabulary} with the given settings.
   *
   * @throws TokenizerException if the vocabulary lacks the unknown token
   */
  public WordPieceTokenizer(Vocabulary vocabulary, TokenizerOptions options) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.options = Objects.requireNonNull(options, "options");
    if (!options.continuingSubwordPrefix().equals(vocabulary.continuingSubwordPrefix())) {
      throw new IllegalArgumentException(
          "options use continuation prefix '"
              + options.continuingSubwordPrefix()
              + "' but the vocabulary was indexed with '"
              + vocabulary.continuingSubwordPrefix()
              + "'");
    }
    SpecialTokens names = options.specialTokens();
    unknownId = vocabulary.id(names.unk());
    if (unknownId < 0) {
      throw new TokenizerException(
          vocabulary.source()
              + ": no line holds the unknown token '"
              + names.unk()
              + "' (every WordPiece vocabulary needs one; set unk_token if it has another name)");
    }
    clsId = vocabulary.id(names.cls());
    sepId = vocabulary.id(names.sep());
    padId = vocabulary.id(names.pad());
    maskId = vocabulary.id(names.mask());

    Set<String> matched = new LinkedHashSet<>(names.all());
    matched.addAll(vocabulary.addedTokens());
    addedTokens = new AddedTokenMatcher(matched, vocabulary, unknownId);

    specialIds = new boolean[vocabulary.size()];
    for (String name : names.all()) {
      int id = vocabulary.id(name);
      if (id >= 0) {
        specialIds[id] = true;
      }
    }
    WordPieceModel wordPiece =
        new WordPieceModel(vocabulary, unknownId, options.maxInputCharsPerWord());
    basicTokenizer = new BasicTokenizer(wordPiece, options);
    decoder = new WordPieceDecoder(vocabulary, specialIds);
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  /**
   * Loads the tokenizer of a HF model folder: {@code tokenizer.json} when present (with {@code
   * tokenizer_config.json} settings overriding its normalizer, as {@code BertTokenizerFast} does),
   * otherwise {@code vocab.txt} with the optional {@code tokenizer_config.json}, {@code
   * special_tokens_map.json} and {@code added_tokens.json}.
   *
   * @throws TokenizerException if the folder has neither file or a file is invalid
   */
  public static WordPieceTokenizer fromFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new TokenizerException("tokenizer folder not found: " + folder);
    }
    Path json = folder.resolve(TOKENIZER_JSON);
    Path vocab = folder.resolve(VOCAB_TXT);
    TokenizerDefinition definition;
    if (Files.isRegularFile(json)) {
      definition = TokenizerJsonReader.read(json);
    } else if (Files.isRegularFile(vocab)) {
      definition = readVocab(vocab, TokenizerOptions.uncased());
    } else {
      throw new TokenizerException(
          "tokenizer folder " + folder + " has neither " + TOKENIZER_JSON + " nor " + VOCAB_TXT);
    }
    definition = TokenizerConfigReader.apply(folder, definition);
    return new WordPieceTokenizer(definition.vocabulary(), definition.options());
  }

  /**
   * Loads a {@code vocab.txt} with explicit settings (side files are not read).
   *
   * @throws TokenizerException if the file is missing, empty, not UTF-8, or lacks the unknown token
   */
  public static WordPieceTokenizer fromVocab(Path vocabFile, TokenizerOptions options) {
    TokenizerDefinition definition = readVocab(vocabFile, options);
    return new WordPieceTokenizer(definition.vocabulary(), definition.options());
  }

  /** Loads a {@code vocab.txt} with HF's defaults ({@link TokenizerOptions#uncased()}). */
  public static WordPieceTokenizer fromVocab(Path vocabFile) {
    return fromVocab(vocabFile, TokenizerOptions.uncased());
  }

  /**
   * Loads a HF {@code tokenizer.json} on its own (no side files), as the Rust {@code
   * Tokenizer.from_file} does.
   *
   * @throws TokenizerException if the file is missing, not JSON, or a required key is missing/wrong
   */
  public static WordPieceTokenizer fromTokenizerJson(Path file) {
    TokenizerDefinition definition = TokenizerJsonReader.read(file);
    return new WordPieceTokenizer(definition.vocabulary(), definition.options());
  }

  private static TokenizerDefinition readVocab(Path vocabFile, TokenizerOptions options) {
    List<String> lines = VocabFileReader.readLines(vocabFile);
    Vocabulary vocabulary =
        Vocabulary.of(lines, options.continuingSubwordPrefix(), vocabFile.toString());
    return new TokenizerDefinition(vocabulary, options);
  }

  // ---------------------------------------------------------------------------------------------
  // Tokenizing and encoding

  /** The WordPiece tokens of {@code text}, without special tokens (HF's {@code tokenize}). */
  public List<String> tokenize(String text) {
    TokenBuffer tokens = tokenizeToScratch(text, null);
    List<String> result = new ArrayList<>(tokens.size);
    for (int i = 0; i < tokens.size; i++) {
      result.add(vocabulary.token(tokens.ids[i]));
    }
    return result;
  }

  /**
   * The ids of {@code [CLS] text [SEP]} and nothing else: the cheapest call, for feeding models
   * when token strings and offsets are not needed.
   */
  public int[] encodeIds(String text) {
    requireSequenceSpecials();
    TokenBuffer tokens = tokenizeToScratch(text, null);
    int[] ids = new int[tokens.size + 2];
    ids[0] = clsId;
    System.arraycopy(tokens.ids, 0, ids, 1, tokens.size);
    ids[ids.length - 1] = sepId;
    return ids;
  }

  /** Encodes {@code [CLS] text [SEP]} with {@link EncodeOptions#defaults()}. */
  public Encoding encode(String text) {
    return encode(text, EncodeOptions.defaults());
  }

  /** Encodes one text. */
  public Encoding encode(String text, EncodeOptions encodeOptions) {
    Encoding encoding = encodeUnpadded(text, null, encodeOptions);
    if (encodeOptions.padding() == PaddingStrategy.MAX_LENGTH) {
      return pad(encoding, maxLength(encodeOptions));
    }
    return encoding;
  }

  /** Encodes {@code [CLS] first [SEP] second [SEP]} with {@link EncodeOptions#defaults()}. */
  public Encoding encodePair(String first, String second) {
    return encodePair(first, second, EncodeOptions.defaults());
  }

  /** Encodes a text pair; token type ids are 0 for the first part and 1 for the second. */
  public Encoding encodePair(String first, String second, EncodeOptions encodeOptions) {
    Objects.requireNonNull(second, "second");
    Encoding encoding = encodeUnpadded(first, second, encodeOptions);
    if (encodeOptions.padding() == PaddingStrategy.MAX_LENGTH) {
      return pad(encoding, maxLength(encodeOptions));
    }
    return encoding;
  }

  /** Encodes texts with padding and truncation as {@code encodeOptions} say. */
  public BatchEncoding encodeBatch(List<String> texts, EncodeOptions encodeOptions) {
    List<Encoding> encodings = new ArrayList<>(texts.size());
    for (String text : texts) {
      encodings.add(encodeUnpadded(text, null, encodeOptions));
    }
    return padBatch(encodings, encodeOptions);
  }

  /**
   * Encodes text pairs {@code (first[i], second[i])}; a null {@code second[i]} encodes {@code
   * first[i]} alone, so one batch can mix pairs and single texts.
   */
  public BatchEncoding encodePairBatch(
      List<String> first, List<String> second, EncodeOptions encodeOptions) {
    if (first.size() != second.size()) {
      throw new IllegalArgumentException(
          "pair batch needs as many second texts as first texts: "
              + first.size()
              + " vs "
              + second.size());
    }
    List<Encoding> encodings = new ArrayList<>(first.size());
    for (int i = 0; i < first.size(); i++) {
      encodings.add(encodeUnpadded(first.get(i), second.get(i), encodeOptions));
    }
    return padBatch(encodings, encodeOptions);
  }

  /**
   * Ids back to text, skipping special tokens, with the clean-up of spaces that {@link
   * TokenizerOptions#cleanUpTokenizationSpaces()} says (on by default).
   */
  public String decode(int[] ids) {
    return decode(ids, true, options.cleanUpTokenizationSpaces());
  }

  /**
   * Ids back to text ({@code skipSpecialTokens} drops every special id, {@code [UNK]} included).
   */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    return decode(ids, skipSpecialTokens, options.cleanUpTokenizationSpaces());
  }

  /**
   * Ids back to text, as HF's {@code decode(ids, skip_special_tokens,
   * clean_up_tokenization_spaces)}.
   *
   * @throws IndexOutOfBoundsException for an id outside the vocabulary
   */
  public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
    return decoder.decode(ids, skipSpecialTokens, cleanUpTokenizationSpaces);
  }

  // ---------------------------------------------------------------------------------------------
  // Vocabulary access

  /** The id of {@code token}, or the unknown token's id when it is not in the vocabulary. */
  public int tokenToId(String token) {
    int id = vocabulary.id(token);
    return id >= 0 ? id : unknownId;
  }

  /** The token of {@code id}. */
  public String idToToken(int id) {
    return vocabulary.token(id);
  }

  /** Number of ids (every vocabulary line, duplicates included, plus added tokens). */
  public int vocabSize() {
    return vocabulary.size();
  }

  /** The vocabulary. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The settings. */
  public TokenizerOptions options() {
    return options;
  }

  /** Id of the unknown token. */
  public int unknownId() {
    return unknownId;
  }

  /** Id of the classification token, -1 when the vocabulary has none. */
  public int clsId() {
    return clsId;
  }

  /** Id of the separator token, -1 when the vocabulary has none. */
  public int sepId() {
    return sepId;
  }

  /** Id of the padding token, -1 when the vocabulary has none. */
  public int padId() {
    return padId;
  }

  /** Id of the mask token, -1 when the vocabulary has none. */
  public int maskId() {
    return maskId;
  }

  /** Whether {@code id} is a special token. */
  public boolean isSpecialId(int id) {
    return id >= 0 && id < specialIds.length && specialIds[id];
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  /**
   * Tokenizes {@code text} into this thread's buffer; with {@code append} the buffer keeps its
   * tokens (a pair's first text), otherwise it starts empty.
   */
  private TokenBuffer tokenizeToScratch(String text, TokenBuffer append) {
    Objects.requireNonNull(text, "text");
    Scratch buffers = scratch.get();
    TokenBuffer tokens = buffers.tokens;
    if (append == null) {
      tokens.clear();
    }
    if (addedTokens.isEmpty()) {
      basicTokenizer.tokenize(text, 0, text.length(), buffers.word, tokens);
      return tokens;
    }
    int[] position = buffers.matchPosition;
    int segmentStart = 0;
    int length = text.length();
    while (segmentStart < length) {
      int match = addedTokens.find(text, segmentStart, length, position);
      if (match < 0) {
        basicTokenizer.tokenize(text, segmentStart, length, buffers.word, tokens);
        break;
      }
      int matchStart = position[0];
      int matchEnd = matchStart + addedTokens.length(match);
      basicTokenizer.tokenize(text, segmentStart, matchStart, buffers.word, tokens);
      tokens.add(addedTokens.id(match), matchStart, matchEnd);
      segmentStart = matchEnd;
    }
    return tokens;
  }

  private Encoding encodeUnpadded(String first, String second, EncodeOptions encodeOptions) {
    boolean specials = encodeOptions.addSpecialTokens();
    if (specials) {
      requireSequenceSpecials();
    }
    TokenBuffer tokens = tokenizeToScratch(first, null);
    int lengthA = tokens.size;
    int lengthB = -1;
    if (second != null) {
      tokenizeToScratch(second, tokens);
      lengthB = tokens.size - lengthA;
    }
    int specialCount = specials ? (second == null ? 2 : 3) : 0;
    int[] kept =
        SequenceTruncation.keptLengths(
            lengthA, lengthB, specialCount, encodeOptions.truncation(), maxLength(encodeOptions));
    int keptA = kept[0];
    int keptB = Math.max(kept[1], 0);
    int total = keptA + keptB + specialCount;

    int[] ids = new int[total];
    int[] typeIds = new int[total];
    int[] mask = new int[total];
    String[] strings = new String[total];
    int[][] offsets = new int[total][];
    Arrays.fill(mask, 1);
    int at = 0;
    if (specials) {
      at = putSpecial(clsId, 0, ids, typeIds, strings, offsets, at);
    }
    at = copyTokens(tokens, 0, keptA, 0, ids, typeIds, strings, offsets, at);
    if (specials) {
      at = putSpecial(sepId, 0, ids, typeIds, strings, offsets, at);
    }
    if (second != null) {
      at = copyTokens(tokens, lengthA, keptB, 1, ids, typeIds, strings, offsets, at);
      if (specials) {
        putSpecial(sepId, 1, ids, typeIds, strings, offsets, at);
      }
    }
    return new Encoding(ids, typeIds, mask, strings, offsets);
  }

  private int copyTokens(
      TokenBuffer tokens,
      int from,
      int count,
      int typeId,
      int[] ids,
      int[] typeIds,
      String[] strings,
      int[][] offsets,
      int at) {
    for (int i = from; i < from + count; i++) {
      int id = tokens.ids[i];
      ids[at] = id;
      typeIds[at] = typeId;
      strings[at] = vocabulary.token(id);
      offsets[at] = new int[] {tokens.starts[i], tokens.ends[i]};
      at++;
    }
    return at;
  }

  private int putSpecial(
      int id, int typeId, int[] ids, int[] typeIds, String[] strings, int[][] offsets, int at) {
    ids[at] = id;
    typeIds[at] = typeId;
    strings[at] = vocabulary.token(id);
    offsets[at] = new int[2];
    return at + 1;
  }

  private BatchEncoding padBatch(List<Encoding> encodings, EncodeOptions encodeOptions) {
    int target;
    switch (encodeOptions.padding()) {
      case DO_NOT_PAD:
        return new BatchEncoding(encodings);
      case LONGEST:
        target = encodings.stream().mapToInt(Encoding::length).max().orElse(0);
        break;
      case MAX_LENGTH:
        target = maxLength(encodeOptions);
        break;
      default:
        throw new AssertionError(encodeOptions.padding());
    }
    List<Encoding> padded = new ArrayList<>(encodings.size());
    for (Encoding encoding : encodings) {
      padded.add(pad(encoding, target));
    }
    return new BatchEncoding(padded);
  }

  /**
   * {@code encoding} padded on the right to {@code length}; longer encodings are left as they are.
   */
  private Encoding pad(Encoding encoding, int length) {
    int current = encoding.length();
    if (current >= length) {
      return encoding;
    }
    if (padId < 0) {
      throw new TokenizerException(
          vocabulary.source()
              + ": cannot pad, the vocabulary has no padding token '"
              + options.specialTokens().pad()
              + "'");
    }
    if (length == Integer.MAX_VALUE) {
      throw new TokenizerException(
          "padding to max length needs EncodeOptions.maxLength (the tokenizer has no"
              + " model_max_length)");
    }
    int[] ids = Arrays.copyOf(encoding.inputIds(), length);
    int[] typeIds = Arrays.copyOf(encoding.tokenTypeIds(), length);
    int[] mask = Arrays.copyOf(encoding.attentionMask(), length);
    String[] strings = Arrays.copyOf(encoding.tokens(), length);
    int[][] offsets = Arrays.copyOf(encoding.offsets(), length);
    String padToken = vocabulary.token(padId);
    for (int i = current; i < length; i++) {
      ids[i] = padId;
      strings[i] = padToken;
      offsets[i] = new int[2];
    }
    return new Encoding(ids, typeIds, mask, strings, offsets);
  }

  private int maxLength(EncodeOptions encodeOptions) {
    return encodeOptions.maxLength() > 0 ? encodeOptions.maxLength() : options.modelMaxLength();
  }

  private void requireSequenceSpecials() {
    if (clsId < 0 || sepId < 0) {
      SpecialTokens names = options.specialTokens();
      throw new TokenizerException(
          vocabulary.source()
              + ": cannot add special tokens, the vocabulary lacks '"
              + (clsId < 0 ? names.cls() : names.sep())
              + "' (encode with addSpecialTokens=false)");
    }
  }
}
