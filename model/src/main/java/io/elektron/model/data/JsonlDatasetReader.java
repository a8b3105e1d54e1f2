package io.elektron.model.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * JSON Lines: one JSON object per line.
 *
 * <pre>
 * {"text": "...", "text_pair": "...", "id": "a1", "labels": ["joy", "love"]}
 * {"text": "...", "labels": [17, 18]}
 * {"input_ids": [101, 2023, 102], "attention_mask": [1, 1, 1], "token_type_ids": [0, 0, 0]}
 * </pre>
 *
 * <p>Keys: {@code text} (key name from {@link ReadOptions#textColumn()}), optional {@code
 * text_pair} and {@code id} (string or integer) likewise; {@code labels}: an array of label names
 * or of label ids (not mixed; absent or {@code null} = unlabeled, {@code []} = no positive label).
 * Pre-tokenized lines carry {@code input_ids} (ids {@code >= 0}) and optionally {@code
 * attention_mask} (0/1) and {@code token_type_ids} of the same length; a line needs text or {@code
 * input_ids}. Other keys are ignored, so files may carry metadata. Duplicate keys are an error.
 *
 * <p>Without given label names, names used in {@code labels} define the label set, sorted
 * alphabetically (so that train, dev and test files agree regardless of line order); ids then
 * cannot be interpreted and are an error.
 */
final class JsonlDatasetReader {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern JACKSON_SOURCE_LOCATION =
      Pattern.compile("\\s*\\(for \\w+ starting at \\[Source:[^\\]]*\\]\\)|\\s*\\[Source:[^\\]]*\\]");

  private static final String LABELS_KEY = "labels";
  private static final String INPUT_IDS_KEY = "input_ids";
  private static final String ATTENTION_MASK_KEY = "attention_mask";
  private static final String TOKEN_TYPE_IDS_KEY = "token_type_ids";

  /** A line whose label names are resolved once the whole label set is known. */
  private record PendingExample(Example withoutLabels, List<String> labelNames) {}

  /** Signals a malformed line; carries the problem to {@link BadLines}. */
  private static final class LineProblem extends Exception {
    private static final long serialVersionUID = 1L;

    LineProblem(String problem) {
      super(problem, null, false, false);
    }
  }

  private JsonlDatasetReader() {}

  static Dataset read(Path file, List<String> givenLabelNames, ReadOptions options)
      throws IOException {
    Map<String, Integer> labelIndex =
        givenLabelNames == null ? null : LabelNames.indexByName(givenLabelNames);
    List<Example> examples = new ArrayList<>();
    List<PendingExample> pending = new ArrayList<>();
    TreeSet<String> seenLabelNames = new TreeSet<>();
    BadLines badLines = new BadLines(file, options.skipBadLines());
    DuplicateIdCounter duplicateIds = new DuplicateIdCounter();
    long blankLines = 0;
    try (Utf8LineReader lines = new Utf8LineReader(file)) {
      for (Utf8LineReader.Line line = lines.next(); line != null; line = lines.next()) {
        if (!line.isValid()) {
          badLines.report(line.number(), line.encodingProblem());
          continue;
        }
        if (line.text().isBlank()) {
          blankLines++;
          continue;
        }
        try {
          JsonNode object = parseObject(line.text());
          String text = optionalString(object, options.textColumn());
          String textPair = optionalString(object, options.textPairColumn());
          String id = optionalId(object, options.idColumn());
          int[] inputIds = optionalInts(object, INPUT_IDS_KEY, 0, Integer.MAX_VALUE);
          int[] attentionMask = optionalInts(object, ATTENTION_MASK_KEY, 0, 1);
          int[] tokenTypeIds = optionalInts(object, TOKEN_TYPE_IDS_KEY, 0, Integer.MAX_VALUE);
          checkTokenFields(options, text, inputIds, attentionMask, tokenTypeIds);
          JsonNode labelsNode = object.get(LABELS_KEY);
          boolean hasLabels = labelsNode != null && !labelsNode.isNull();
          boolean[] labels = null;
          List<String> namesToResolve = null;
          if (hasLabels && labelIndex == null) {
            namesToResolve = labelNamesForInference(labelsNode);
            seenLabelNames.addAll(namesToResolve);
          } else if (hasLabels) {
            labels = resolveLabels(labelsNode, labelIndex, givenLabelNames);
          }
          Example example =
              new Example(text, textPair, labels, id, inputIds, attentionMask, tokenTypeIds);
          duplicateIds.record(id, line.number());
          if (labelIndex == null) {
            pending.add(new PendingExample(example, namesToResolve));
          } else {
            examples.add(example);
          }
        } catch (LineProblem problem) {
          badLines.report(line.number(), problem.getMessage());
        }
      }
    }
    List<String> labelNames = givenLabelNames;
    if (labelIndex == null) {
      // Inferred label set: resolve the names collected above, keeping file order of examples.
      labelNames = List.copyOf(seenLabelNames);
      Map<String, Integer> inferredIndex = LabelNames.indexByName(labelNames);
      for (PendingExample p : pending) {
        examples.add(p.labelNames() == null
            ? p.withoutLabels()
            : withLabels(p.withoutLabels(), p.labelNames(), inferredIndex, labelNames.size()));
      }
    }
    return new Dataset(examples, labelNames, new ReadSummary(file, DatasetFormat.JSONL,
        blankLines, badLines.count(), badLines.problems(), duplicateIds.duplicates(),
        duplicateIds.firstDuplicate()));
  }

  private static JsonNode parseObject(String line) throws LineProblem {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      // Jackson appends source locations relative to the single-line parser; the file line is
      // already in the message prefix and the column is given above.
      String detail = JACKSON_SOURCE_LOCATION.matcher(e.getOriginalMessage()).replaceAll("");
      int newline = detail.indexOf('\n');
      throw new LineProblem("invalid JSON" + where + ": "
          + (newline < 0 ? detail : detail.substring(0, newline))
          + "; expected one JSON object per line");
    }
    if (node == null || !node.isObject()) {
      throw new LineProblem("expected a JSON object {...}, found "
          + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    return node;
  }

  private static String optionalString(JsonNode object, String key) throws LineProblem {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new LineProblem("\"" + key + "\" must be a string, found " + describe(value));
    }
    return value.textValue();
  }

  private static String optionalId(JsonNode object, String key) throws LineProblem {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue().isEmpty() ? null : value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    throw new LineProblem("\"" + key + "\" must be a string or an integer, found "
        + describe(value));
  }

  private static int[] optionalInts(JsonNode object, String key, int min, int max)
      throws LineProblem {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new LineProblem("\"" + key + "\" must be an array of integers, found "
          + describe(value));
    }
    int[] ints = new int[value.size()];
    for (int k = 0; k < ints.length; k++) {
      JsonNode element = value.get(k);
      if (!element.isIntegralNumber() || !element.canConvertToInt()
          || element.intValue() < min || element.intValue() > max) {
        throw new LineProblem("\"" + key + "\"[" + k + "] must be an integer in " + min + ".."
            + max + ", found " + describe(element));
      }
      ints[k] = element.intValue();
    }
    return ints;
  }

  private static void checkTokenFields(ReadOptions options, String text, int[] inputIds,
      int[] attentionMask, int[] tokenTypeIds) throws LineProblem {
    if (text == null && inputIds == null) {
      throw new LineProblem("expected \"" + options.textColumn() + "\" (a string) or \""
          + INPUT_IDS_KEY + "\" (an array of token ids)");
    }
    if (inputIds == null && (attentionMask != null || tokenTypeIds != null)) {
      throw new LineProblem("\"" + ATTENTION_MASK_KEY + "\" / \"" + TOKEN_TYPE_IDS_KEY
          + "\" given without \"" + INPUT_IDS_KEY + "\"");
    }
    if (attentionMask != null && attentionMask.length != inputIds.length) {
      throw new LineProblem("\"" + ATTENTION_MASK_KEY + "\" has " + attentionMask.length
          + " entries but \"" + INPUT_IDS_KEY + "\" has " + inputIds.length);
    }
    if (tokenTypeIds != null && tokenTypeIds.length != inputIds.length) {
      throw new LineProblem("\"" + TOKEN_TYPE_IDS_KEY + "\" has " + tokenTypeIds.length
          + " entries but \"" + INPUT_IDS_KEY + "\" has " + inputIds.length);
    }
  }

  /** Label names of a line when the label set is still being discovered. */
  private static List<String> labelNamesForInference(JsonNode labelsNode) throws LineProblem {
    checkLabelArray(labelsNode);
    List<String> names = new ArrayList<>();
    for (JsonNode element : labelsNode) {
      if (!element.isTextual()) {
        throw new LineProblem("\"labels\" holds label ids, which need label names: pass the "
            + "label names (e.g. a labels file) or write the names in \"labels\"");
      }
      names.add(element.textValue());
    }
    return names;
  }

  private static boolean[] resolveLabels(JsonNode labelsNode, Map<String, Integer> labelIndex,
      List<String> labelNames) throws LineProblem {
    checkLabelArray(labelsNode);
    boolean[] labels = new boolean[labelNames.size()];
    for (JsonNode element : labelsNode) {
      if (element.isTextual()) {
        Integer index = labelIndex.get(element.textValue());
        if (index == null) {
          throw new LineProblem("unknown label name '" + element.textValue()
              + "'; expected one of " + labelNames);
        }
        labels[index] = true;
      } else {
        int id = element.intValue();
        if (!element.canConvertToInt() || id < 0 || id >= labelNames.size()) {
          throw new LineProblem("label id " + element.asText() + " is out of range: there are "
              + labelNames.size() + " labels (ids 0.." + (labelNames.size() - 1) + ")");
        }
        labels[id] = true;
      }
    }
    return labels;
  }

  /** An array of all strings or all integers. */
  private static void checkLabelArray(JsonNode labelsNode) throws LineProblem {
    if (!labelsNode.isArray()) {
      throw new LineProblem("\"labels\" must be an array of label names or ids, found "
          + describe(labelsNode));
    }
    boolean names = false;
    boolean ids = false;
    for (JsonNode element : labelsNode) {
      if (element.isTextual()) {
        names = true;
      } else if (element.isIntegralNumber()) {
        ids = true;
      } else {
        throw new LineProblem("\"labels\" entries must be label names (strings) or ids "
            + "(integers), found " + describe(element));
      }
    }
    if (names && ids) {
      throw new LineProblem("\"labels\" mixes names and ids; use one or the other");
    }
  }

  private static Example withLabels(Example example, List<String> names,
      Map<String, Integer> index, int numLabels) {
    boolean[] labels = new boolean[numLabels];
    for (String name : names) {
      labels[index.get(name)] = true;
    }
    return new Example(example.text(), example.textPair(), labels, example.id(),
        example.inputIds(), example.attentionMask(), example.tokenTypeIds());
  }

  private static String describe(JsonNode value) {
    String json = value.toString();
    return value.getNodeType().toString().toLowerCase(Locale.ROOT) + " "
        + (json.length() > 40 ? json.substring(0, 40) + "..." : json);
  }
}
