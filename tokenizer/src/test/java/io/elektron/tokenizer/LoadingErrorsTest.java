package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gives a {@link TokenizerException} whose message names the file and the place.
 */
class LoadingErrorsTest {
  @TempDir Path folder;

  private static String messageOf(Executable action) {
    return assertThrows(TokenizerException.class, action).getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "'" + message + "' should mention '" + part + "'");
    }
  }

  @Test
  void missingVocabFile() {
    Path vocab = folder.resolve("nope/vocab.txt");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromVocab(vocab)), "not found", vocab.toString());
  }

  @Test
  void emptyVocabFile() throws Exception {
    Path vocab = Files.writeString(folder.resolve("vocab.txt"), "");
    assertMentions(messageOf(() -> WordPieceTokenizer.fromVocab(vocab)), "empty", vocab.toString());
  }

  @Test
  void vocabWithoutUnknownToken() throws Exception {
    Path vocab = Files.writeString(folder.resolve("vocab.txt"), "[PAD]\n[CLS]\n[SEP]\nhello\n");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromVocab(vocab)), vocab.toString(), "'[UNK]'");
  }

  @Test
  void invalidUtf8NamesTheLine() throws Exception {
    byte[] bytes = {
      '[', 'U', 'N', 'K', ']', '\n', 'o', 'k', '\n', 'b', 'a', (byte) 0xFF, 'd', '\n'
    };
    Path vocab = Files.write(folder.resolve("vocab.txt"), bytes);
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromVocab(vocab)),
        vocab.toString(),
        "line 3",
        "invalid UTF-8",
        "0xFF",
        "byte offset 11");
  }

  @Test
  void truncatedUtf8SequenceAtTheEnd() throws Exception {
    byte[] bytes = {'[', 'U', 'N', 'K', ']', '\r', '\n', (byte) 0xE4, (byte) 0xB8};
    Path vocab = Files.write(folder.resolve("vocab.txt"), bytes);
    assertMentions(messageOf(() -> WordPieceTokenizer.fromVocab(vocab)), "line 2", "invalid UTF-8");
  }

  @Test
  void folderWithoutTokenizerFiles() {
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromFolder(folder)),
        "neither",
        "tokenizer.json",
        "vocab.txt");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromFolder(folder.resolve("absent"))), "not found");
  }

  @Test
  void tokenizerJsonNotJson() throws Exception {
    Path json =
        Files.writeString(
            folder.resolve("tokenizer.json"), "{\n  \"model\": {\n    \"vocab\": [\n");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)),
        json.toString(),
        "not valid JSON",
        "line");
  }

  @Test
  void tokenizerJsonMissingVocab() throws Exception {
    Path json =
        write(
            "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\"},"
                + " \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)),
        json.toString(),
        "'model.vocab'",
        "missing");
  }

  @Test
  void tokenizerJsonMissingModel() throws Exception {
    Path json = write("{\"version\": \"1.0\"}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)), "'model.type'", "missing");
  }

  @Test
  void tokenizerJsonWrongModelType() throws Exception {
    Path json = write("{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)), "'model.type'", "BPE");
  }

  @Test
  void tokenizerJsonBadVocabId() throws Exception {
    Path json = write(tinyJson("\"vocab\": {\"[UNK]\": 0, \"a\": \"one\"}", "\"lowercase\": true"));
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)),
        "model.vocab[\"a\"]",
        "integer");
  }

  @Test
  void tokenizerJsonVocabIdGap() throws Exception {
    Path json = write(tinyJson("\"vocab\": {\"[UNK]\": 0, \"a\": 5}", "\"lowercase\": true"));
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)), "model.vocab[\"a\"]", "5");
  }

  @Test
  void tokenizerJsonVocabAsArray() throws Exception {
    Path json = write(tinyJson("\"vocab\": [\"[UNK]\"]", "\"lowercase\": true"));
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)), "'model.vocab'", "object");
  }

  @Test
  void tokenizerJsonWrongFlagType() throws Exception {
    Path json = write(tinyJson("\"vocab\": {\"[UNK]\": 0}", "\"lowercase\": \"yes\""));
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)), "'normalizer.lowercase'");
  }

  @Test
  void tokenizerJsonUnsupportedNormalizer() throws Exception {
    Path json =
        write(
            "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"[UNK]\":"
                + " 0}}, \"normalizer\": {\"type\": \"NFKC\"}, \"pre_tokenizer\": {\"type\":"
                + " \"BertPreTokenizer\"}}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)), "'normalizer.type'", "NFKC");
  }

  @Test
  void tokenizerJsonWithoutUnknownTokenInVocab() throws Exception {
    Path json = write(tinyJson("\"vocab\": {\"a\": 0}", "\"lowercase\": true"));
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)), json.toString(), "[UNK]");
  }

  @Test
  void badTokenizerConfig() throws Exception {
    Files.copy(TestResources.tinyVocab(), folder.resolve("vocab.txt"));
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"do_lower_case\": \"no\"}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromFolder(folder)),
        "tokenizer_config.json",
        "'do_lower_case'");
    Files.writeString(
        folder.resolve("tokenizer_config.json"), "{\"cls_token\": {\"lstrip\": false}}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromFolder(folder)), "'cls_token.content'", "missing");
  }

  /**
   * Found while writing the fuzz targets (TokenizerFuzzTest): an added-token id far past the
   * vocabulary made the loader allocate an array of that size (OutOfMemoryError for 2000000000)
   * or overflow it (ArrayIndexOutOfBoundsException for Integer.MAX_VALUE).
   */
  @Test
  void addedTokenIdsFarPastTheVocabularyAreRefusedBeforeAllocating() throws Exception {
    Files.copy(TestResources.tinyVocab(), folder.resolve("vocab.txt"));
    for (String id : new String[] {"2000000000", "2147483647", "121"}) {
      Files.writeString(folder.resolve("added_tokens.json"), "{\"<x>\": " + id + "}");
      assertMentions(
          messageOf(() -> WordPieceTokenizer.fromFolder(folder)),
          "added token '<x>' has id " + id,
          "120 tokens",
          "contiguous");
    }
    Files.delete(folder.resolve("added_tokens.json"));
    Files.writeString(
        folder.resolve("tokenizer_config.json"),
        "{\"added_tokens_decoder\": {\"2147483647\": {\"content\": \"<y>\"}}}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromFolder(folder)), "'<y>' has id 2147483647");

    Path json =
        write(
            "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"[UNK]\":"
                + " 0}}, \"normalizer\": null, \"pre_tokenizer\": {\"type\":"
                + " \"BertPreTokenizer\"}, \"added_tokens\": [{\"id\": 2000000000, \"content\":"
                + " \"<z>\"}]}");
    assertMentions(
        messageOf(() -> WordPieceTokenizer.fromTokenizerJson(json)),
        json.toString(),
        "'<z>' has id 2000000000");
  }

  @Test
  void encodingWithSpecialsNeedsClsAndSep() throws Exception {
    Path vocab = Files.writeString(folder.resolve("vocab.txt"), "[UNK]\nhello\n");
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(vocab);
    assertMentions(messageOf(() -> tokenizer.encode("hello")), vocab.toString(), "'[CLS]'");
    assertMentions(
        messageOf(
            () ->
                tokenizer.encodeBatch(
                    java.util.List.of("hello", ""),
                    EncodeOptions.defaults()
                        .withSpecialTokens(false)
                        .withPadding(PaddingStrategy.LONGEST))),
        "'[PAD]'");
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new int[] {1},
        tokenizer.encode("hello", EncodeOptions.defaults().withSpecialTokens(false)).inputIds());
  }

  @Test
  void impossibleTruncationAndPadding() {
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(TestResources.uncasedVocab());
    assertMentions(
        messageOf(() -> tokenizer.encode("hello world", EncodeOptions.truncatedTo(1))),
        "maxLength 1",
        "special tokens");
    assertMentions(
        messageOf(() -> tokenizer.encode("hello world", EncodeOptions.truncatedTo(2))),
        "maxLength 2",
        "2 tokens");
    assertMentions(
        messageOf(
            () ->
                tokenizer.encodePair(
                    "a",
                    "b c",
                    EncodeOptions.defaults().withTruncation(TruncationStrategy.ONLY_SECOND, 4))),
        "second text");
    assertMentions(
        messageOf(
            () ->
                tokenizer.encode(
                    "a", EncodeOptions.defaults().withPadding(PaddingStrategy.MAX_LENGTH))),
        "maxLength");
  }

  private Path write(String content) throws Exception {
    return Files.writeString(folder.resolve("tokenizer.json"), content);
  }

  private static String tinyJson(String vocab, String normalizerFlags) {
    return "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", "
        + vocab
        + "},"
        + " \"normalizer\": {\"type\": \"BertNormalizer\", "
        + normalizerFlags
        + "},"
        + " \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}, \"post_processor\": null}";
  }
}
