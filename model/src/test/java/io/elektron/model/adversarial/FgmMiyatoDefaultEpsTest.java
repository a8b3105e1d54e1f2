package io.elektron.model.adversarial;

import io.elektron.model.ElectraModel;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the premise of fgm-miyato's default eps on the data it was chosen for: the real MiniLM encoder's raw word
 * embeddings of GoEmotions comments have median sequence norm ~4.8, and the default is ~6% of it (the paper's
 * relative size). Skipped when ../shared is absent (a user's fresh clone).
 */
class FgmMiyatoDefaultEpsTest {
    private static final int EXAMPLES = 2000;

    @Test
    void defaultEpsIsAboutSixPercentOfAGoEmotionsExamplesEmbeddedSequence() throws Exception {
        Path shared = Path.of(System.getProperty("elektron.shared", "../../shared"));
        Path model = shared.resolve("models/minilm-l6-electra");
        Path train = shared.resolve("data/goemotions/original/train.tsv");
        Assumptions.assumeTrue(Files.isRegularFile(model.resolve("model.safetensors")) && Files.isRegularFile(train),
                "skipped: MiniLM and GoEmotions are not under " + shared.toAbsolutePath());

        ElectraModel encoder = HfModels.encoder(model, 0).model();
        float[] table = encoder.embeddings().wordEmbeddings().weight().toFloatArray(); // [V, E]
        int dim = encoder.embeddings().wordEmbeddings().dim();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(model);
        List<String> lines = Files.readAllLines(train, StandardCharsets.UTF_8).subList(0, EXAMPLES);
        double[] norms = new double[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            int[] ids = tokenizer.encodeIds(lines.get(i).split("\t")[0]); // [CLS] ... [SEP], what the hook sees
            double sq = 0;
            for (int id : ids) {
                for (int k = id * dim; k < (id + 1) * dim; k++) sq += (double) table[k] * table[k];
            }
            norms[i] = Math.sqrt(sq);
        }
        Arrays.sort(norms);
        double median = norms[EXAMPLES / 2];
        assertTrue(median > 4.3 && median < 5.3, "median embedded-sequence norm " + median + " (documented: ~4.8)");
        double relative = FgmMiyato.DEFAULT_EPS / median;
        assertTrue(relative > 0.05 && relative < 0.08, "default eps is " + relative + " of the median norm (meant: ~6%)");
    }
}
