package io.elektron.model.train;

import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.Golden;
import io.elektron.model.data.Dataset;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The progress callback of batched prediction reports each batch once and changes nothing in the results. */
class PredictorProgressTest {
    @Test
    void everyExampleIsReportedOnceAndTheLogitsAreTheSame() throws Exception {
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(Golden.fixture("tiny").folder());
        Dataset data = TrainerTest.toyData(4, 10);
        List<TokenizedExample> examples = new ExampleEncoder(tok, 16).encode(data.examples());
        ElectraForSequenceClassification model = TrainerTest.freshModel(3);
        try {
            List<Integer> reported = new ArrayList<>();
            float[][] withProgress = Predictor.logits(model, examples, 4, 0, reported::add);
            float[][] without = Predictor.logits(model, examples, 4, 0);
            assertEquals(List.of(4, 4, 2), reported.stream().sorted((a, b) -> b - a).toList(), "batches of 4, 4 and 2");
            for (int i = 0; i < without.length; i++) assertArrayEquals(without[i], withProgress[i], "example " + i);
        } finally {
            model.close();
        }
    }
}
