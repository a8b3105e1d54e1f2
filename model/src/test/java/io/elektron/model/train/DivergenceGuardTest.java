package io.elektron.model.train;

import io.elektron.core.Tensor;
import io.elektron.core.nn.HookHandle;
import io.elektron.core.nn.Module;
import io.elektron.core.optim.AdamW;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.Golden;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.WordPieceTokenizer;
import io.elektron.weights.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NaN/Inf guard, with the fault injected mid-run (step 7, 8 or 9 of 12, inside epoch 3 of 4) through module
 * hooks: NaN logits (a NaN loss), a NaN activation in one encoder layer, an Inf in the gradient flowing back into a
 * layer while the loss stays finite, and a NaN in a parameter the loss does not see. Each run must stop with {@link TrainingDivergedException} at the poisoned step,
 * leave the epoch-2 checkpoint exactly as it was written (weights, trainer state, optimizer moments, all finite),
 * never write a NaN anywhere, and resume from that checkpoint to the end.
 */
class DivergenceGuardTest {
    private static final int STEPS_PER_EPOCH = 3; // 24 examples, batch 8
    private static final int EPOCHS = 4;
    private static final int LAST_GOOD_EPOCH = 2;

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path out) throws Exception {
        // Logits are the loss's direct input: one NaN logit makes the batch's BCE NaN.
        RunOutcome run = trainWithFault(out, 8, (model, fault) -> model.namedModules().get("classifier")
                .registerForwardHook((m, logits) -> {
                    if (fault.fires(m)) poison(logits, 0, Float.NaN);
                }));
        assertTrue(run.error().getMessage().contains("loss became NaN") && run.error().getMessage().contains("epoch 3, step 8"),
                run.error().getMessage());
        assertLastGoodCheckpointSurvived(out, run);
    }

    @Test
    void nanActivationInOneLayerStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path out) throws Exception {
        // One value of layer 0's output (example 0, token 1, feature 3: row 1 of the packed [N, H] or padded [B, T, H]
        // activations alike): attention in layer 1 spreads it to the loss.
        RunOutcome run = trainWithFault(out, 7, (model, fault) -> model.namedModules().get("electra.encoder.layer.0")
                .registerForwardHook((m, hidden) -> {
                    if (fault.fires(m)) poison(hidden, hidden.size(-1) + 3, Float.NaN);
                }));
        assertTrue(run.error().getMessage().contains("loss became NaN") && run.error().getMessage().contains("epoch 3, step 7"),
                run.error().getMessage());
        assertLastGoodCheckpointSurvived(out, run);
    }

    @Test
    void infGradientWithAFiniteLossStopsBeforeTheOptimizerStep(@TempDir Path out) throws Exception {
        // The loss of step 9 is finite; only the gradient entering layer 0 carries an Inf. Step 9 ends epoch 3, so a
        // guard that watched the loss alone would let AdamW write NaN weights into epoch 3's checkpoint.
        RunOutcome run = trainWithFault(out, 9, (model, fault) -> model.namedModules().get("electra.encoder.layer.0")
                .registerBackwardHook((m, gradient) -> {
                    if (fault.fires(m)) poison(gradient, 5, Float.POSITIVE_INFINITY);
                }));
        assertTrue(run.error().getMessage().contains("gradient norm became") && run.error().getMessage().contains("epoch 3, step 9"),
                run.error().getMessage());
        assertLastGoodCheckpointSurvived(out, run);
    }

    @Test
    void aNanInAParameterTheLossNeverSeesIsNotSaved(@TempDir Path out) throws Exception {
        // Row 1 of the token-type embeddings: single-sentence inputs only use type 0, so loss and gradients stay
        // finite, and nothing but the check before each checkpoint write notices (at the end of epoch 3).
        RunOutcome run = trainWithFault(out, 8, (model, fault) -> model.namedModules().get("electra.embeddings")
                .registerForwardHook((m, embedded) -> {
                    if (fault.fires(m)) {
                        Tensor tokenTypes = model.namedParameters().get("electra.embeddings.token_type_embeddings.weight");
                        poison(tokenTypes, tokenTypes.size(1) + 2, Float.NaN);
                    }
                }));
        assertTrue(run.error().getMessage().contains("electra.embeddings.token_type_embeddings.weight holds NaN or Inf"),
                run.error().getMessage());
        assertLastGoodCheckpointSurvived(out, run);
    }

    // ======================================================================== fault injection

    /** Fires once: in the first training-mode forward (or backward) of optimizer step {@code step}. */
    static final class Fault {
        private final long step;
        private long nextStep = 1;
        private boolean fired;

        Fault(long step) {
            this.step = step;
        }

        boolean fires(Module module) {
            if (fired || nextStep != step || !module.isTraining()) return false;
            fired = true;
            return true;
        }
    }

    /**
     * Overwrites one value of a tensor the step is computing with. Hooks are meant for inspection and must not write
     * (ForwardHook's contract); breaking that on purpose is what emulates a kernel that produced NaN or Inf.
     */
    private static void poison(Tensor t, int index, float value) {
        float[] values = t.toFloatArray();
        values[index] = value;
        t.copyFrom(values);
    }

    record RunOutcome(TrainingDivergedException error, Map<String, float[]> weightsAtLastGoodEpoch) {
    }

    /** Registers the hook that injects {@code fault} into {@code model}. */
    @FunctionalInterface
    interface FaultHook {
        HookHandle install(ElectraForSequenceClassification model, Fault fault);
    }

    private static RunOutcome trainWithFault(Path out, long poisonedStep, FaultHook injector) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = TrainerTest.toyData(21, 24);
        Dataset dev = TrainerTest.toyData(22, 12);
        ElectraForSequenceClassification model = TrainerTest.freshModel(4);
        Fault fault = new Fault(poisonedStep);
        Map<String, float[]> snapshot = new LinkedHashMap<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                fault.nextStep = e.globalStep() + 1;
            }

            @Override
            public void onEpoch(EpochRecord record) {
                // Called right after the epoch's "last" checkpoint was written: what it must still hold later.
                if (record.epoch() == LAST_GOOD_EPOCH) {
                    model.namedParameters().forEach((name, p) -> snapshot.put(name, p.toFloatArray()));
                }
            }
        };
        TrainingDivergedException error;
        try (HookHandle hook = injector.install(model, fault)) {
            Trainer trainer = new Trainer(model, tok, folder, options(), out, listener);
            error = assertThrows(TrainingDivergedException.class, () -> trainer.fit(train, dev, null));
        }
        assertTrue(fault.fired, "the fault was injected");
        assertTrue(error.getMessage().contains("the last good checkpoint is " + out.resolve("last")), error.getMessage());
        assertEquals(model.parameterCount(), snapshot.values().stream().mapToLong(a -> a.length).sum(), "snapshot taken");
        return new RunOutcome(error, snapshot);
    }

    private static TrainingOptions options() {
        return TrainerTest.options().withEpochs(EPOCHS).withBatchSize(8);
    }

    // ======================================================================== what must hold afterwards

    private static void assertLastGoodCheckpointSurvived(Path out, RunOutcome run) throws Exception {
        Path last = out.resolve("last");
        TrainerState state = TrainerState.read(last);
        assertEquals(LAST_GOOD_EPOCH, state.epochsDone());
        assertEquals(0, state.batchesDoneInEpoch());
        assertEquals(LAST_GOOD_EPOCH * STEPS_PER_EPOCH, state.globalStep());

        ElectraForSequenceClassification reloaded = HfModels.sequenceClassifier(last, null, 0).model();
        for (var e : run.weightsAtLastGoodEpoch().entrySet()) {
            assertArrayEquals(e.getValue(), reloaded.namedParameters().get(e.getKey()).toFloatArray(),
                    e.getKey() + " is what epoch " + LAST_GOOD_EPOCH + " saved");
        }

        AdamW optimizer = new AdamW(ParameterGroups.build(reloaded.namedParameters(), reloaded.config().numHiddenLayers(),
                options().weightDecay(), options().layerwiseLrDecay()), 1e-3f, 0.9f, 0.999f, 1e-6f);
        TrainerState.loadOptimizer(optimizer, last);
        float maxStep = 0;
        for (float[][] s : optimizer.exportState()) {
            if (s == null) continue;
            maxStep = Math.max(maxStep, s[0][0]);
            assertAllFinite("AdamW m", s[1]);
            assertAllFinite("AdamW v", s[2]);
        }
        assertEquals(state.globalStep(), (long) maxStep, "optimizer state from the same step as the trainer state");

        assertNoNonFiniteValueWasWritten(out);

        // The checkpoint is usable: the same run resumes from it (without the fault) and finishes.
        Path folder = Golden.fixture("tiny").folder();
        Dataset train = TrainerTest.toyData(21, 24);
        Dataset dev = TrainerTest.toyData(22, 12);
        Trainer.Result resumed = new Trainer(TrainerTest.freshModel(77), WordPieceTokenizer.fromFolder(folder), folder,
                options(), out, null).fit(train, dev, null, last);
        assertEquals(EPOCHS, resumed.history().get(resumed.history().size() - 1).epoch());
        assertEquals(EPOCHS * STEPS_PER_EPOCH, resumed.steps().get(resumed.steps().size() - 1).step());
        assertNoNonFiniteValueWasWritten(out);
    }

    /** Every safetensors file under the run folder (best/ and last/ followed): weights and optimizer moments. */
    private static void assertNoNonFiniteValueWasWritten(Path out) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out, FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList();
        }
        assertFalse(files.isEmpty(), "checkpoints under " + out);
        for (Path f : files) {
            try (Checkpoint c = Checkpoint.open(f)) {
                for (String name : c.names()) assertAllFinite(f + " " + name, c.get(name).toFloatArray());
            }
        }
    }

    private static void assertAllFinite(String what, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) throw new AssertionError(what + "[" + i + "] = " + values[i]);
        }
    }
}
