package io.elektron.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HuggingFace {@code config.json} of an ELECTRA (or BERT) model. Unknown keys are kept in {@link #raw()} so that
 * saving a model writes them back unchanged.
 */
public record ElectraConfig(
        int vocabSize,
        int embeddingSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        float hiddenDropoutProb,
        float attentionProbsDropoutProb,
        Float classifierDropout,
        int maxPositionEmbeddings,
        int typeVocabSize,
        float initializerRange,
        float layerNormEps,
        int padTokenId,
        List<String> labelNames,
        String problemType,
        ObjectNode raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The config.json model types whose weights and computation this encoder reproduces. */
    static final List<String> SUPPORTED_MODEL_TYPES = List.of("electra", "bert");

    /** The most labels num_labels may ask for (extreme multi-label sets have ~10^5..10^6). */
    static final int MAX_LABELS = 1_000_000;

    public ElectraConfig {
        require(vocabSize > 0, "vocab_size", vocabSize);
        require(embeddingSize > 0, "embedding_size", embeddingSize);
        require(hiddenSize > 0, "hidden_size", hiddenSize);
        require(numHiddenLayers >= 0, "num_hidden_layers", numHiddenLayers);
        require(numAttentionHeads > 0 && hiddenSize % numAttentionHeads == 0, "num_attention_heads (must divide hidden_size "
                + hiddenSize + ")", numAttentionHeads);
        require(intermediateSize > 0, "intermediate_size", intermediateSize);
        require(maxPositionEmbeddings > 0, "max_position_embeddings", maxPositionEmbeddings);
        require(typeVocabSize > 0, "type_vocab_size", typeVocabSize);
        require(padTokenId >= 0 && padTokenId < vocabSize, "pad_token_id", padTokenId);
        if (!hiddenAct.equals("gelu")) {
            throw new IllegalArgumentException("config.json: hidden_act '" + hiddenAct + "' is not supported (only 'gelu', the exact erf form ELECTRA and BERT use)");
        }
        labelNames = List.copyOf(labelNames);
    }

    private static void require(boolean ok, String key, Object value) {
        if (!ok) throw new IllegalArgumentException("config.json: invalid " + key + " = " + value);
    }

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public int numLabels() {
        return labelNames.size();
    }

    public boolean hasEmbeddingsProjection() {
        return embeddingSize != hiddenSize;
    }

    /** Dropout of the classification head: classifier_dropout when set, else hidden_dropout_prob (as HF). */
    public float headDropout() {
        return classifierDropout != null ? classifierDropout : hiddenDropoutProb;
    }

    /** Reads config.json, naming the file and the key when something is wrong. */
    public static ElectraConfig load(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file (a model folder needs config.json)", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // Jackson's encoding detection reports bytes that are no Unicode encoding (a binary file) as a
            // CharConversionException, which names neither the file nor JSON.
            throw new IOException(file + ": cannot read as JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof ObjectNode obj)) throw new IOException(file + ": expected a JSON object");
        try {
            return fromJson(obj);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static ElectraConfig fromJson(ObjectNode obj) {
        // Other architectures share these keys (GPT-2, RoBERTa, ...) and would load as ELECTRA and run, wrongly:
        // RoBERTa offsets its positions by the padding id, GPT-2 attends causally with other weight names.
        String modelType = obj.path("model_type").asText("electra");
        if (!SUPPORTED_MODEL_TYPES.contains(modelType)) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not supported; Elektron runs ELECTRA and"
                    + " BERT encoders (model_type " + String.join(" or ", SUPPORTED_MODEL_TYPES) + ")");
        }
        int hidden = intKey(obj, "hidden_size", null);
        List<String> labels = new ArrayList<>();
        JsonNode id2label = obj.get("id2label");
        if (id2label != null && id2label.isObject()) {
            int n = id2label.size();
            for (int i = 0; i < n; i++) {
                JsonNode name = id2label.get(Integer.toString(i));
                if (name == null) throw new IllegalArgumentException("id2label is missing id " + i + " (ids must be 0.." + (n - 1) + ")");
                labels.add(name.asText());
            }
        } else if (obj.has("num_labels")) {
            int n = labelCount(obj.get("num_labels"));
            for (int i = 0; i < n; i++) labels.add("LABEL_" + i);
        }
        JsonNode cd = obj.get("classifier_dropout");
        return new ElectraConfig(
                intKey(obj, "vocab_size", null),
                intKey(obj, "embedding_size", hidden),
                hidden,
                intKey(obj, "num_hidden_layers", null),
                intKey(obj, "num_attention_heads", null),
                intKey(obj, "intermediate_size", null),
                obj.path("hidden_act").asText("gelu"),
                (float) obj.path("hidden_dropout_prob").asDouble(0.1),
                (float) obj.path("attention_probs_dropout_prob").asDouble(0.1),
                cd == null || cd.isNull() ? null : (float) cd.asDouble(),
                intKey(obj, "max_position_embeddings", 512),
                intKey(obj, "type_vocab_size", 2),
                (float) obj.path("initializer_range").asDouble(0.02),
                (float) obj.path("layer_norm_eps").asDouble(1e-12),
                intKey(obj, "pad_token_id", 0),
                labels,
                obj.path("problem_type").isTextual() ? obj.get("problem_type").asText() : null,
                obj.deepCopy());
    }

    /**
     * num_labels without id2label: names LABEL_0.. are generated, so a lying count (2000000000) must be refused before
     * the loop, not end in an OutOfMemoryError. The bound is far above any real classification head.
     */
    private static int labelCount(JsonNode v) {
        if (v.isNull()) return 0;
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > MAX_LABELS) {
            throw new IllegalArgumentException("key 'num_labels' must be an integer in 0.." + MAX_LABELS + ", got " + v);
        }
        return v.intValue();
    }

    private static int intKey(ObjectNode obj, String key, Integer fallback) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) throw new IllegalArgumentException("missing required key '" + key + "'");
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) throw new IllegalArgumentException("key '" + key + "' must be an integer, got " + v);
        return v.asInt();
    }

    /** The same configuration with other label names (a classifier head for a new task). */
    public ElectraConfig withLabels(List<String> names) {
        return new ElectraConfig(vocabSize, embeddingSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, classifierDropout,
                maxPositionEmbeddings, typeVocabSize, initializerRange, layerNormEps, padTokenId, names,
                "multi_label_classification", raw);
    }

    /** config.json as HF writes it: the original keys plus id2label / label2id / problem_type / architectures. */
    public ObjectNode toJson(String architecture) {
        ObjectNode out = raw == null ? JSON.createObjectNode() : raw.deepCopy();
        out.putArray("architectures").add(architecture);
        out.put("model_type", out.path("model_type").asText("electra"));
        out.put("vocab_size", vocabSize);
        out.put("embedding_size", embeddingSize);
        out.put("hidden_size", hiddenSize);
        out.put("num_hidden_layers", numHiddenLayers);
        out.put("num_attention_heads", numAttentionHeads);
        out.put("intermediate_size", intermediateSize);
        out.put("hidden_act", hiddenAct);
        out.put("hidden_dropout_prob", hiddenDropoutProb);
        out.put("attention_probs_dropout_prob", attentionProbsDropoutProb);
        out.put("max_position_embeddings", maxPositionEmbeddings);
        out.put("type_vocab_size", typeVocabSize);
        out.put("initializer_range", initializerRange);
        out.put("layer_norm_eps", layerNormEps);
        out.put("pad_token_id", padTokenId);
        if (!labelNames.isEmpty()) {
            ObjectNode id2label = out.putObject("id2label");
            ObjectNode label2id = out.putObject("label2id");
            for (int i = 0; i < labelNames.size(); i++) {
                id2label.put(Integer.toString(i), labelNames.get(i));
                label2id.put(labelNames.get(i), i);
            }
            out.remove("num_labels"); // HF derives it from id2label; keeping both invites disagreement
        }
        if (problemType != null) out.put("problem_type", problemType);
        return out;
    }

    /** A small configuration for tests and from-scratch experiments. */
    public static ElectraConfig of(int vocab, int embedding, int hidden, int layers, int heads, int intermediate,
                                   int maxPositions, List<String> labels) {
        return new ElectraConfig(vocab, embedding, hidden, layers, heads, intermediate, "gelu", 0.1f, 0.1f, null,
                maxPositions, 2, 0.02f, 1e-12f, 0, labels, labels.isEmpty() ? null : "multi_label_classification",
                JSON.createObjectNode().put("model_type", "electra"));
    }
}
