package io.elektron.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a HF fast-tokenizer file ({@code tokenizer.json}) with a WordPiece model: {@code
 * model.vocab}, the {@code BertNormalizer} flags, {@code added_tokens} (with their {@code special}
 * flags) and the {@code [CLS]}/{@code [SEP]} of the post-processor. {@code truncation} and {@code
 * padding} are ignored: they are per-call settings here ({@link EncodeOptions}).
 */
final class TokenizerJsonReader {
  private TokenizerJsonReader() {}

  static TokenizerDefinition read(Path file) {
    JsonConfigFile json = JsonConfigFile.read(file);

    String modelType = json.requireString("model.type");
    if (!modelType.equals("WordPiece")) {
      throw json.error(
          "model.type", "is '" + modelType + "'; only 'WordPiece' models are supported");
    }
    String prefix = json.optionalString("model.continuing_subword_prefix", "##");
    Vocabulary vocabulary = Vocabulary.of(readVocab(json), prefix, file.toString());

    TokenizerOptions options = TokenizerOptions.uncased().withContinuingSubwordPrefix(prefix);
    options =
        options.withMaxInputCharsPerWord(
            json.optionalPositiveInt("model.max_input_chars_per_word", 100));
    options = readNormalizer(json, options);
    options = options.withCleanUpTokenizationSpaces(json.optionalBoolean("decoder.cleanup", true));
    readPreTokenizer(json);

    SpecialTokens specials = options.specialTokens().withUnk(json.requireString("model.unk_token"));
    specials = readPostProcessorSpecials(json, specials);
    specials = specials.withPad(json.optionalString("padding.pad_token", specials.pad()));

    Map<Integer, String> addedTokens = new LinkedHashMap<>();
    List<String> additional = new ArrayList<>();
    readAddedTokens(json, addedTokens, additional, specials);
    options = options.withSpecialTokens(specials.withAdditional(additional));
    return new TokenizerDefinition(vocabulary.withAddedTokens(addedTokens), options);
  }

  /** {@code model.vocab} as an id-ordered list; ids must be unique and contiguous from 0. */
  private static List<String> readVocab(JsonConfigFile json) {
    JsonNode vocab = json.requireObject("model.vocab");
    if (vocab.size() == 0) {
      throw json.error("model.vocab", "is empty");
    }
    String[] tokens = new String[vocab.size()];
    Iterator<Map.Entry<String, JsonNode>> fields = vocab.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode id = field.getValue();
      String key = "model.vocab[\"" + field.getKey() + "\"]";
      if (!id.canConvertToInt() || !id.isIntegralNumber() || id.intValue() < 0) {
        throw json.error(
            key, "must be a non-negative integer id, got " + JsonConfigFile.describe(id));
      }
      int index = id.intValue();
      if (index >= tokens.length) {
        throw json.error(
            key,
            "is id "
                + index
                + ", but the vocabulary has only "
                + tokens.length
                + " tokens (ids must be 0.."
                + (tokens.length - 1)
                + ")");
      }
      if (tokens[index] != null) {
        throw json.error(key, "reuses id " + index + " of '" + tokens[index] + "'");
      }
      tokens[index] = field.getKey();
    }
    return Arrays.asList(tokens);
  }

  private static TokenizerOptions readNormalizer(JsonConfigFile json, TokenizerOptions options) {
    JsonNode normalizer = json.require("normalizer");
    if (normalizer.isNull()) {
      // No normalizer: the text reaches the pre-tokenizer untouched.
      return options
          .withCleanText(false)
          .withLowercase(false)
          .withAccentStripping(AccentStripping.KEEP)
          .withTokenizeChineseChars(false);
    }
    String type = json.requireString("normalizer.type");
    if (!type.equals("BertNormalizer")) {
      throw json.error("normalizer.type", "is '" + type + "'; only 'BertNormalizer' is supported");
    }
    return options
        .withCleanText(json.optionalBoolean("normalizer.clean_text", true))
        .withTokenizeChineseChars(json.optionalBoolean("normalizer.handle_chinese_chars", true))
        .withLowercase(json.optionalBoolean("normalizer.lowercase", true))
        .withAccentStripping(
            AccentStripping.fromHuggingFace(
                json.optionalNullableBoolean("normalizer.strip_accents")));
  }

  private static void readPreTokenizer(JsonConfigFile json) {
    String type = json.requireString("pre_tokenizer.type");
    if (!type.equals("BertPreTokenizer")) {
      throw json.error(
          "pre_tokenizer.type", "is '" + type + "'; only 'BertPreTokenizer' is supported");
    }
  }

  /**
   * {@code [CLS]}/{@code [SEP]} from a {@code BertProcessing} ({@code cls: ["[CLS]", 101]}) or a
   * {@code TemplateProcessing} post-processor (first and last special token of the {@code single}
   * template). Without a post-processor BERT's names stay.
   */
  private static SpecialTokens readPostProcessorSpecials(
      JsonConfigFile json, SpecialTokens specials) {
    JsonNode processor = json.find("post_processor");
    if (processor == null || processor.isNull()) {
      return specials;
    }
    String type = json.requireString("post_processor.type");
    switch (type) {
      case "BertProcessing":
        return specials
            .withCls(pairName(json, "post_processor.cls"))
            .withSep(pairName(json, "post_processor.sep"));
      case "TemplateProcessing":
        {
          JsonNode single = json.require("post_processor.single");
          if (!single.isArray()) {
            throw json.error(
                "post_processor.single",
                "must be an array, got " + JsonConfigFile.describe(single));
          }
          List<String> names = new ArrayList<>();
          for (JsonNode piece : single) {
            JsonNode special = piece.get("SpecialToken");
            if (special != null && special.has("id") && special.get("id").isTextual()) {
              names.add(special.get("id").textValue());
            }
          }
          if (names.size() != 2) {
            throw json.error(
                "post_processor.single",
                "must be BERT's template "
                    + "[special, $A, special]; found "
                    + names.size()
                    + " special tokens");
          }
          return specials.withCls(names.get(0)).withSep(names.get(1));
        }
      default:
        throw json.error(
            "post_processor.type",
            "is '" + type + "'; only 'BertProcessing' and 'TemplateProcessing' are supported");
    }
  }

  private static String pairName(JsonConfigFile json, String key) {
    JsonNode pair = json.require(key);
    if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()) {
      throw json.error(key, "must be [token, id], got " + JsonConfigFile.describe(pair));
    }
    return pair.get(0).textValue();
  }

  private static void readAddedTokens(
      JsonConfigFile json,
      Map<Integer, String> addedTokens,
      List<String> additional,
      SpecialTokens named) {
    JsonNode list = json.find("added_tokens");
    if (list == null || list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw json.error("added_tokens", "must be an array, got " + JsonConfigFile.describe(list));
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      String key = "added_tokens[" + i + "]";
      if (!entry.isObject()) {
        throw json.error(key, "must be an object, got " + JsonConfigFile.describe(entry));
      }
      JsonNode id = entry.get("id");
      if (id == null || !id.canConvertToInt() || id.intValue() < 0) {
        throw json.error(
            key + ".id",
            id == null
                ? "is missing"
                : "must be a non-negative integer, got " + JsonConfigFile.describe(id));
      }
      JsonNode content = entry.get("content");
      if (content == null || !content.isTextual()) {
        throw json.error(
            key + ".content",
            content == null
                ? "is missing"
                : "must be a string, got " + JsonConfigFile.describe(content));
      }
      addedTokens.put(id.intValue(), content.textValue());
      JsonNode special = entry.get("special");
      if (special != null
          && special.asBoolean(false)
          && !named.all().contains(content.textValue())) {
        additional.add(content.textValue());
      }
    }
  }
}
