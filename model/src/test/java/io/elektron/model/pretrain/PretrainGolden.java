package io.elektron.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.model.EncoderInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** fixtures/pretrain/golden.json (HF transformers 4.30): the generator, the discriminator and one RTD step. */
final class PretrainGolden {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PretrainGolden instance;

    private final Path folder;
    private final JsonNode root;

    private PretrainGolden(Path folder) throws IOException {
        this.folder = folder;
        this.root = JSON.readTree(folder.resolve("golden.json").toFile());
    }

    static synchronized PretrainGolden get() {
        if (instance == null) {
            try {
                Path golden = Path.of(Objects.requireNonNull(PretrainGolden.class.getResource("/fixtures/pretrain/golden.json"),
                        "missing test fixture pretrain/golden.json").toURI());
                instance = new PretrainGolden(golden.getParent());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    Path folder(String model) {
        return folder.resolve(model);
    }

    JsonNode node(String path) {
        JsonNode n = root;
        for (String part : path.split("/")) {
            n = n.get(part);
            if (n == null) throw new IllegalArgumentException("golden.json has no " + path);
        }
        return n;
    }

    float[] floats(String path) {
        return floats(node(path));
    }

    static float[] floats(JsonNode n) {
        List<Float> out = new ArrayList<>();
        flatten(n, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) a[i] = out.get(i);
        return a;
    }

    int[] ints(String path) {
        float[] f = floats(path);
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = (int) f[i];
        return out;
    }

    private static void flatten(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            for (JsonNode c : n) flatten(c, out);
        } else if (n.isBoolean()) {
            out.add(n.asBoolean() ? 1f : 0f);
        } else {
            out.add((float) n.asDouble());
        }
    }

    /** The padded batch with the given ids ([3, 15]), the fixture's attention mask and token types. */
    EncoderInput input(String idsPath) {
        int[] ids = ints(idsPath);
        int batch = node(idsPath).size();
        return new EncoderInput(batch, ids.length / batch, ids, ints("inputs/attention_mask"), ints("inputs/token_type_ids"));
    }

    /** inputs/masked_positions as flat indices b * T + t. */
    int[] maskedPositions() {
        int t = node("inputs/original_ids").get(0).size();
        JsonNode pairs = node("inputs/masked_positions");
        int[] out = new int[pairs.size()];
        for (int i = 0; i < out.length; i++) out[i] = pairs.get(i).get(0).asInt() * t + pairs.get(i).get(1).asInt();
        return out;
    }

    /** A copy of a fixture model folder holding one weights format only, so the loader cannot pick the other. */
    Path onlyWeights(String model, String weightsFile) throws IOException {
        Path src = folder(model);
        Path dir = Files.createTempDirectory("elektron-pretrain-" + model);
        for (String f : new String[]{"config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", weightsFile}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        dir.toFile().deleteOnExit();
        for (String f : new String[]{"config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", weightsFile}) {
            dir.resolve(f).toFile().deleteOnExit();
        }
        assertEquals(dir.resolve(weightsFile), io.elektron.model.hf.PretrainedLoader.weightsFile(dir));
        return dir;
    }
}
