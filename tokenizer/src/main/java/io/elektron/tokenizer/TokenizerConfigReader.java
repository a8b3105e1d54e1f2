package io.elektron.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the optional HF side files of a tokenizer folder, in HF's precedence order: {@code
 * tokenizer_config.json} (settings, special tokens, {@code added_tokens_decoder}), then {@code
 * special_tokens_map.json} (its special tokens override the config's, as in {@code
 * from_pretrained}), then {@code added_tokens.json}.
 */
final class TokenizerConfigReader {
  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  static final String ADDED_TOKENS = "added_tokens.json";

  private TokenizerConfigReader() {}

  /** {@code definition} with every side file present in {@code folder} applied. */
  static TokenizerDefinition apply(Path folder, TokenizerDefinition definition) {
    TokenizerOptions options = definition.options();
    Vocabulary vocabulary = definition.vocabulary();
    Map<Integer, String> addedTokens = new LinkedHashMap<>();
    List<String> additionalSpecials = new ArrayList<>(options.specialTokens().additional());

    Path configFile = folder.resolve(TOKENIZER_CONFIG);
    if (Files.isRegularFile(configFile)) {
      JsonConfigFile config = JsonConfigFile.read(configFile);
      if (!config.optionalBoolean("do_basic_tokenize", true)) {
        throw config.error(
            "do_basic_tokenize",
            "is false: WordPiece without BERT's basic tokenization is not supported");
      }
      if (config.has("do_lower_case")) {
        options =
            options.withLowercase(config.optionalBoolean("do_lower_case", options.lowercase()));
      }
      if (config.has("strip_accents")) {
        options =
            options.withAccentStripping(
                AccentStripping.fromHuggingFace(config.optionalNullableBoolean("strip_accents")));
      }
      if (config.has("tokenize_chinese_chars")) {
        options =
            options.withTokenizeChineseChars(
                config.optionalBoolean("tokenize_chinese_chars", options.tokenizeChineseChars()));
      }
      int maxLength = config.optionalPositiveInt("max_len", options.modelMaxLength());
      options =
          options.withModelMaxLength(config.optionalPositiveInt("model_max_length", maxLength));
      options =
          options.withCleanUpTokenizationSpaces(
              config.optionalBoolean(
                  "clean_up_tokenization_spaces", options.cleanUpTokenizationSpaces()));
      options = options.withSpecialTokens(readSpecialTokens(config, options.specialTokens()));
      readAdditional(config, additionalSpecials);
      readAddedTokensDecoder(config, addedTokens, additionalSpecials, options.specialTokens());
    }

    Path mapFile = folder.resolve(SPECIAL_TOKENS_MAP);
    if (Files.isRegularFile(mapFile)) {
      JsonConfigFile map = JsonConfigFile.read(mapFile);
      options = options.withSpecialTokens(readSpecialTokens(map, options.specialTokens()));
      readAdditional(map, additionalSpecials);
    }

    Path addedFile = folder.resolve(ADDED_TOKENS);
    if (Files.isRegularFile(addedFile)) {
      JsonConfigFile added = JsonConfigFile.read(addedFile);
      Iterator<Map.Entry<String, JsonNode>> fields = added.root().fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getValue().canConvertToInt() || field.getValue().intValue() < 0) {
          throw added.error(
              field.getKey(),
              "must be a non-negative integer id, got "
                  + JsonConfigFile.describe(field.getValue()));
        }
        addedTokens.put(field.getValue().intValue(), field.getKey());
      }
    }

    options =
        options.withSpecialTokens(
            options
                .specialTokens()
                .withAdditional(additionalSpecials.stream().distinct().toList()));
    return new TokenizerDefinition(vocabulary.withAddedTokens(addedTokens), options);
  }

  private static SpecialTokens readSpecialTokens(JsonConfigFile config, SpecialTokens tokens) {
    return tokens
        .withUnk(config.optionalTokenName("unk_token", tokens.unk()))
        .withCls(config.optionalTokenName("cls_token", tokens.cls()))
        .withSep(config.optionalTokenName("sep_token", tokens.sep()))
        .withPad(config.optionalTokenName("pad_token", tokens.pad()))
        .withMask(config.optionalTokenName("mask_token", tokens.mask()));
  }

  private static void readAdditional(JsonConfigFile config, List<String> additional) {
    JsonNode list = config.find("additional_special_tokens");
    if (list == null || list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw config.error(
          "additional_special_tokens", "must be an array, got " + JsonConfigFile.describe(list));
    }
    for (int i = 0; i < list.size(); i++) {
      additional.add(config.tokenName(list.get(i), "additional_special_tokens[" + i + "]"));
    }
  }

  /** transformers >= 4.34 lists every added token (specials included) as {@code {"id": {...}}}. */
  private static void readAddedTokensDecoder(
      JsonConfigFile config,
      Map<Integer, String> addedTokens,
      List<String> additionalSpecials,
      SpecialTokens named) {
    JsonNode decoder = config.find("added_tokens_decoder");
    if (decoder == null || decoder.isNull()) {
      return;
    }
    if (!decoder.isObject()) {
      throw config.error(
          "added_tokens_decoder", "must be an object, got " + JsonConfigFile.describe(decoder));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = decoder.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = "added_tokens_decoder." + field.getKey();
      int id;
      try {
        id = Integer.parseInt(field.getKey());
      } catch (NumberFormatException e) {
        throw config.error(key, "has a key that is not an integer id");
      }
      String content = config.tokenName(field.getValue(), key);
      addedTokens.put(id, content);
      JsonNode special = field.getValue().get("special");
      if (special != null && special.asBoolean(false) && !named.all().contains(content)) {
        additionalSpecials.add(content);
      }
    }
  }
}
