package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the HF reference fixtures (transformers 4.30 slow {@code ElectraTokenizer}): 44
 * texts, 3 pairs and 1 truncation case per file, for the real uncased and the tiny vocabulary, with
 * lower-casing on and off. Ids, tokens, token type ids and attention mask must match exactly.
 */
class HuggingFaceFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FILES = {
    "tokenizer_cases_real_lc0.json",
    "tokenizer_cases_real_lc1.json",
    "tokenizer_cases_tiny_lc0.json",
    "tokenizer_cases_tiny_lc1.json",
  };

  /** The tokenizer a fixture file was produced with (its vocab and do_lower_case). */
  static WordPieceTokenizer tokenizerFor(JsonNode fixture) {
    String vocabFile = fixture.get("vocab_file").asText();
    Path vocab =
        vocabFile.contains("tiny") ? TestResources.tinyVocab() : TestResources.uncasedVocab();
    TokenizerOptions options =
        TokenizerOptions.uncased()
            .withLowercase(fixture.get("do_lower_case").asBoolean())
            .withAccentStripping(
                AccentStripping.fromHuggingFace(
                    fixture.get("strip_accents").isNull()
                        ? null
                        : fixture.get("strip_accents").asBoolean()))
            .withTokenizeChineseChars(fixture.get("tokenize_chinese_chars").asBoolean());
    return WordPieceTokenizer.fromVocab(vocab, options);
  }

  static JsonNode fixture(String file) throws IOException {
    return JSON.readTree(TestResources.path("fixtures/tokenizer/" + file).toFile());
  }

  static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  static String[] strings(JsonNode array) {
    String[] values = new String[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asText();
    }
    return values;
  }

  @TestFactory
  Stream<DynamicTest> singleTexts() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : FILES) {
      JsonNode fixture = fixture(file);
      WordPieceTokenizer tokenizer = tokenizerFor(fixture);
      int index = 0;
      for (JsonNode c : fixture.get("cases")) {
        String text = c.get("text").asText();
        String name = file + " #" + index++ + " " + abbreviate(text);
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  Encoding encoding = tokenizer.encode(text);
                  assertArrayEquals(ints(c.get("input_ids")), encoding.inputIds(), "input_ids");
                  assertArrayEquals(
                      ints(c.get("token_type_ids")), encoding.tokenTypeIds(), "token_type_ids");
                  int[] ones = new int[encoding.length()];
                  Arrays.fill(ones, 1);
                  assertArrayEquals(ones, encoding.attentionMask(), "attention_mask");
                  String[] expectedTokens = strings(c.get("tokens"));
                  assertArrayEquals(
                      expectedTokens, tokenizer.tokenize(text).toArray(new String[0]), "tokens");
                  assertArrayEquals(
                      expectedTokens,
                      Arrays.copyOfRange(encoding.tokens(), 1, encoding.length() - 1),
                      "encoding tokens");
                  assertArrayEquals(
                      ints(c.get("input_ids")), tokenizer.encodeIds(text), "encodeIds");
                }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> pairs() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : FILES) {
      JsonNode fixture = fixture(file);
      WordPieceTokenizer tokenizer = tokenizerFor(fixture);
      for (JsonNode pair : fixture.get("pairs")) {
        String a = pair.get("text_a").asText();
        String b = pair.get("text_b").asText();
        tests.add(
            DynamicTest.dynamicTest(
                file + " pair (" + abbreviate(a) + ", " + abbreviate(b) + ")",
                () -> {
                  Encoding encoding = tokenizer.encodePair(a, b);
                  assertArrayEquals(ints(pair.get("input_ids")), encoding.inputIds(), "input_ids");
                  assertArrayEquals(
                      ints(pair.get("token_type_ids")), encoding.tokenTypeIds(), "token_type_ids");
                }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> truncationToEight() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : FILES) {
      JsonNode fixture = fixture(file);
      WordPieceTokenizer tokenizer = tokenizerFor(fixture);
      JsonNode c = fixture.get("truncation_max_length_8");
      tests.add(
          DynamicTest.dynamicTest(
              file + " truncation max_length 8",
              () -> {
                Encoding encoding =
                    tokenizer.encode(c.get("text").asText(), EncodeOptions.truncatedTo(8));
                assertArrayEquals(ints(c.get("input_ids")), encoding.inputIds());
              }));
    }
    return tests.stream();
  }

  @Test
  void specialIdsMatchTheFixtures() throws IOException {
    for (String file : FILES) {
      JsonNode fixture = fixture(file);
      WordPieceTokenizer tokenizer = tokenizerFor(fixture);
      JsonNode ids = fixture.get("special_ids");
      assertEquals(ids.get("[PAD]").asInt(), tokenizer.padId(), file);
      assertEquals(ids.get("[UNK]").asInt(), tokenizer.unknownId(), file);
      assertEquals(ids.get("[CLS]").asInt(), tokenizer.clsId(), file);
      assertEquals(ids.get("[SEP]").asInt(), tokenizer.sepId(), file);
      assertEquals(ids.get("[MASK]").asInt(), tokenizer.maskId(), file);
      assertEquals(fixture.get("vocab_size").asInt(), tokenizer.vocabSize(), file);
    }
  }

  /** The padded mixed batch (single, pair, single) that the tiny model's golden outputs use. */
  @Test
  void tinyModelGoldenBatch() throws IOException {
    JsonNode golden = JSON.readTree(TestResources.path("tiny-golden/inputs.json").toFile());
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromFolder(TestResources.tinyVocab().getParent());
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (JsonNode pair : golden.get("texts")) {
      first.add(pair.get(0).asText());
      second.add(pair.get(1).isNull() ? null : pair.get(1).asText());
    }
    BatchEncoding batch =
        tokenizer.encodePairBatch(
            first, second, EncodeOptions.defaults().withPadding(PaddingStrategy.LONGEST));
    for (int row = 0; row < batch.size(); row++) {
      Encoding encoding = batch.get(row);
      assertArrayEquals(ints(golden.get("input_ids").get(row)), encoding.inputIds());
      assertArrayEquals(ints(golden.get("attention_mask").get(row)), encoding.attentionMask());
      assertArrayEquals(ints(golden.get("token_type_ids").get(row)), encoding.tokenTypeIds());
      assertArrayEquals(strings(golden.get("tokens").get(row)), encoding.tokens());
    }
  }

  private static String abbreviate(String text) {
    String escaped = text.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    return escaped.length() > 30 ? escaped.substring(0, 30) + "..." : escaped;
  }
}
