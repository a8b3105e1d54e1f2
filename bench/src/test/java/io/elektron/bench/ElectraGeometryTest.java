package io.elektron.bench;

import io.elektron.core.Tensor;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraForSequenceClassification;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ElectraGeometryTest {
    @Test
    void parameterCountsMatchTheModel() {
        for (ElectraGeometry g : ElectraGeometry.values()) {
            // null init: zero-filled parameters, no time spent drawing 100 M normals
            var model = new ElectraForSequenceClassification(g.config(ElectraGeometry.LABELS), null, new SeedStream(1));
            try {
                assertEquals(model.parameterCount(), g.classifierParameters(ElectraGeometry.LABELS), g.name());
                long tables = 0;
                for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                    if (e.getKey().matches(".*(word|position|token_type)_embeddings\\.weight")) tables += e.getValue().numel();
                }
                assertEquals(model.parameterCount() - tables, g.nonEmbeddingParameters(ElectraGeometry.LABELS), g.name());
            } finally {
                model.close();
            }
        }
    }

    @Test
    void flopsPerTokenAgreeWithTheAnchorFigures() {
        // ANCHORS.md: ELECTRA-small at T = 128, inference about 20.7 MFLOP/token, training 61.9 (N = 9.5 M).
        long n = ElectraGeometry.SMALL.nonEmbeddingParameters(ElectraGeometry.LABELS);
        double inference = Workload.INFERENCE.flopsPerToken(n, 12, 256);
        double training = Workload.TRAINING.flopsPerToken(n, 12, 256);
        assertEquals(20.7e6, inference, 0.01 * 20.7e6);
        assertEquals(61.9e6, training, 0.01 * 61.9e6);
        assertEquals(ElectraGeometry.trainingFlopsPerToken(n, 12, 256, 128), training, 1);
        assertEquals(2 * training, Workload.FGM.flopsPerToken(n, 12, 256), 1);
    }
}
