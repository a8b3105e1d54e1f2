package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-written HF {@code tokenizer.json} over the tiny vocabulary must tokenize exactly like the
 * {@code vocab.txt} it was built from.
 */
class TokenizerJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path folder;

  private static Path tinyJson() {
    return TestResources.path("tiny-json/tokenizer.json");
  }

  @Test
  void sameIdsAsVocabTxtOnEveryFixture() throws Exception {
    WordPieceTokenizer fromJson = WordPieceTokenizer.fromTokenizerJson(tinyJson());
    WordPieceTokenizer fromVocab = WordPieceTokenizer.fromVocab(TestResources.tinyVocab());
    assertEquals(fromVocab.vocabSize(), fromJson.vocabSize());
    JsonNode fixture = HuggingFaceFixturesTest.fixture("tokenizer_cases_tiny_lc1.json");
    for (JsonNode c : fixture.get("cases")) {
      String text = c.get("text").asText();
      int[] expected = HuggingFaceFixturesTest.ints(c.get("input_ids"));
      assertArrayEquals(expected, fromJson.encode(text).inputIds(), text);
      assertArrayEquals(expected, fromVocab.encode(text).inputIds(), text);
    }
    for (JsonNode pair : fixture.get("pairs")) {
      Encoding encoding =
          fromJson.encodePair(pair.get("text_a").asText(), pair.get("text_b").asText());
      assertArrayEquals(HuggingFaceFixturesTest.ints(pair.get("input_ids")), encoding.inputIds());
    }
  }

  @Test
  void fromFolderPrefersTokenizerJson() throws Exception {
    Files.copy(tinyJson(), folder.resolve("tokenizer.json"));
    Files.writeString(folder.resolve("vocab.txt"), "this vocab.txt must be ignored\n");
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(folder);
    assertEquals(120, tokenizer.vocabSize());
    assertEquals(List.of("hello", "world"), tokenizer.tokenize("Hello World"));
  }

  @Test
  void normalizerFlagsAreHonoured() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(tinyJson().toFile());
    ((ObjectNode) root.get("normalizer")).put("lowercase", false);
    Path json = folder.resolve("tokenizer.json");
    JSON.writeValue(json.toFile(), root);
    WordPieceTokenizer cased = WordPieceTokenizer.fromTokenizerJson(json);
    JsonNode fixture = HuggingFaceFixturesTest.fixture("tokenizer_cases_tiny_lc0.json");
    for (JsonNode c : fixture.get("cases")) {
      assertArrayEquals(
          HuggingFaceFixturesTest.ints(c.get("input_ids")),
          cased.encode(c.get("text").asText()).inputIds(),
          c.get("text").asText());
    }
    // tokenizer_config.json next to it overrides the normalizer, as BertTokenizerFast does.
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"do_lower_case\": true}");
    assertEquals(List.of("hello"), WordPieceTokenizer.fromFolder(folder).tokenize("HELLO"));
  }

  @Test
  void bertProcessingAndAddedTokensBeyondTheVocabulary() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(tinyJson().toFile());
    ObjectNode processor = JSON.createObjectNode();
    processor.put("type", "BertProcessing");
    processor.set("sep", JSON.createArrayNode().add("[SEP]").add(3));
    processor.set("cls", JSON.createArrayNode().add("[CLS]").add(2));
    root.set("post_processor", processor);
    ObjectNode emoji = JSON.createObjectNode();
    emoji.put("id", 120).put("content", "<emo>").put("special", true);
    ObjectNode plain = JSON.createObjectNode();
    plain.put("id", 121).put("content", "electra!").put("special", false);
    ((ArrayNode) root.get("added_tokens")).add(emoji).add(plain);
    Path json = folder.resolve("tokenizer.json");
    JSON.writeValue(json.toFile(), root);

    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromTokenizerJson(json);
    assertEquals(122, tokenizer.vocabSize());
    Encoding encoding = tokenizer.encode("good<emo>electra!");
    assertArrayEquals(new int[] {2, 95, 120, 121, 3}, encoding.inputIds());
    assertTrue(tokenizer.isSpecialId(120));
    assertEquals("good electra!", tokenizer.decode(encoding.inputIds()));
    assertEquals("[CLS] good <emo> electra! [SEP]", tokenizer.decode(encoding.inputIds(), false));
  }

  @Test
  void vocabTxtFolderReadsItsConfigFiles() throws Exception {
    WordPieceTokenizer tiny = WordPieceTokenizer.fromFolder(TestResources.tinyVocab().getParent());
    assertTrue(tiny.options().lowercase());
    assertEquals(Integer.MAX_VALUE, tiny.options().modelMaxLength(), "1e30 means no limit");

    Files.copy(TestResources.tinyVocab(), folder.resolve("vocab.txt"));
    Files.writeString(
        folder.resolve("tokenizer_config.json"),
        "{\"do_lower_case\": false, \"strip_accents\": true, \"model_max_length\": 512,"
            + " \"clean_up_tokenization_spaces\": false,"
            + " \"mask_token\": {\"content\": \"[unused0]\", \"lstrip\": true}}");
    Files.writeString(
        folder.resolve("special_tokens_map.json"),
        "{\"additional_special_tokens\": [\"[unused1]\"]}");
    Files.writeString(folder.resolve("added_tokens.json"), "{\"<new>\": 120}");
    WordPieceTokenizer configured = WordPieceTokenizer.fromFolder(folder);
    assertEquals(512, configured.options().modelMaxLength());
    assertEquals(114, configured.maskId());
    assertEquals(121, configured.vocabSize());
    // Cased but accents stripped: "é" -> "e"; specials and added tokens are matched in text.
    assertEquals(
        List.of("[UNK]", "e", "[unused0]", "[unused1]", "<new>"),
        configured.tokenize("Hello é[unused0][unused1]<new>"));
    assertEquals("a , b", configured.decode(configured.encodeIds("a, b")));
    assertEquals("a, b", tiny.decode(tiny.encodeIds("a, b")));
  }
}
