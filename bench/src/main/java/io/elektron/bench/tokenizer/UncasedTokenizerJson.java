package io.elektron.bench.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the HF fast-tokenizer file for a BERT uncased {@code vocab.txt}, so the Rust tokenizer
 * (DJL) can run offline on exactly the vocabulary Elektron uses. The layout is what {@code
 * BertTokenizerFast.save_pretrained} writes for {@code bert-base-uncased}: BertNormalizer
 * (lowercase, accents follow it), BertPreTokenizer, WordPiece with {@code ##}, [CLS]/[SEP]
 * template.
 */
final class UncasedTokenizerJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SPECIALS =
      List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

  private UncasedTokenizerJson() {}

  /** Writes {@code folder/tokenizer.json} for {@code vocabFile}; returns the file. */
  static Path write(Path vocabFile, Path folder) throws IOException {
    List<String> lines = Files.readAllLines(vocabFile, StandardCharsets.UTF_8);
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : SPECIALS) {
      added
          .addObject()
          .put("id", lines.lastIndexOf(special))
          .put("content", special)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    root.putObject("normalizer")
        .put("type", "BertNormalizer")
        .put("clean_text", true)
        .put("handle_chinese_chars", true)
        .putNull("strip_accents")
        .put("lowercase", true);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode processor = root.putObject("post_processor");
    processor.put("type", "TemplateProcessing");
    ArrayNode single = processor.putArray("single");
    special(single, "[CLS]", 0);
    sequence(single, "A", 0);
    special(single, "[SEP]", 0);
    ArrayNode pair = processor.putArray("pair");
    special(pair, "[CLS]", 0);
    sequence(pair, "A", 0);
    special(pair, "[SEP]", 0);
    sequence(pair, "B", 1);
    special(pair, "[SEP]", 1);
    ObjectNode specialTokens = processor.putObject("special_tokens");
    for (String name : List.of("[CLS]", "[SEP]")) {
      ObjectNode entry = specialTokens.putObject(name);
      entry.put("id", name);
      entry.putArray("ids").add(lines.lastIndexOf(name));
      entry.putArray("tokens").add(name);
    }
    root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < lines.size(); id++) {
      vocab.put(lines.get(id), id);
    }
    Files.createDirectories(folder);
    Path file = folder.resolve("tokenizer.json");
    JSON.writeValue(file.toFile(), root);
    return file;
  }

  private static void special(ArrayNode template, String token, int typeId) {
    template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
  }

  private static void sequence(ArrayNode template, String id, int typeId) {
    template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
  }
}
