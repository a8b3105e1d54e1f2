package io.elektron.model.train;

import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.Golden;
import io.elektron.model.adversarial.Fgm;
import io.elektron.model.adversarial.RandomDirection;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.Example;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    static final List<String> LABELS = List.of("positive", "negative", "question");

    /** Texts from the tiny vocabulary; labels follow from the words, so a model can learn them. */
    static Dataset toyData(long seed, int n) {
        String[] pos = {"good", "happy", "love"};
        String[] neg = {"bad", "sad", "hate"};
        String[] filler = {"the", "cafe", "model", "electra", "world", "test", "run", "you", "we", "very"};
        SplittableRandom r = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean p = r.nextBoolean();
            boolean q = r.nextBoolean();
            boolean ng = r.nextInt(3) == 0;
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 1 + r.nextInt(4); k++) sb.append(filler[r.nextInt(filler.length)]).append(' ');
            if (p) sb.append(pos[r.nextInt(3)]).append(' ');
            if (ng) sb.append(neg[r.nextInt(3)]).append(' ');
            sb.append(filler[r.nextInt(filler.length)]);
            sb.append(q ? " ?" : " .");
            out.add(new Example(sb.toString(), null, new boolean[]{p, ng, q}, Integer.toString(i)));
        }
        return new Dataset(out, LABELS);
    }

    static ElectraForSequenceClassification freshModel(long seed) throws Exception {
        return HfModels.sequenceClassifier(Golden.fixture("tiny").folder(), LABELS, seed).model();
    }

    static TrainingOptions options() {
        return TrainingOptions.defaults().withEpochs(12).withBatchSize(8).withLearningRate(2e-3f).withMaxLength(16)
                .withWarmupRatio(0.05f).withSeed(7);
    }

    @Test
    void tinyModelFitsATinyMultiLabelSet(@TempDir Path out) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = toyData(1, 96);
        Trainer trainer = new Trainer(freshModel(3), tok, folder, options().withEpochs(30).withLearningRate(5e-3f), out, null);
        Trainer.Result r = trainer.fit(train, train, train);
        double firstLoss = r.history().get(0).trainLoss();
        double lastLoss = r.history().get(r.history().size() - 1).trainLoss();
        assertTrue(lastLoss < firstLoss * 0.5, "loss fell from " + firstLoss + " to " + lastLoss);
        assertTrue(r.testAtHalf().micro().f1() > 0.9, "train micro-F1 " + r.testAtHalf().micro().f1());
        assertTrue(Files.isRegularFile(out.resolve("best/model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("best/thresholds.json")));
        assertTrue(Files.isRegularFile(out.resolve("best/vocab.txt")));
        assertTrue(Files.isRegularFile(out.resolve("last/optimizer.safetensors")));
        // the saved best checkpoint reloads and predicts what the trainer reported
        ElectraForSequenceClassification reloaded = HfModels.sequenceClassifier(out.resolve("best"), null, 0).model();
        assertEquals(LABELS, reloaded.config().labelNames());
    }

    @Test
    void sameSeedSameMetricsAndResumeMatchesUninterrupted(@TempDir Path dir) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = toyData(2, 40);
        Dataset dev = toyData(3, 20);
        TrainingOptions opts = options().withEpochs(3).withAdversarial(new Fgm(1f));

        Trainer.Result a = new Trainer(freshModel(5), tok, folder, opts, dir.resolve("a"), null).fit(train, dev, dev);
        Trainer.Result b = new Trainer(freshModel(5), tok, folder, opts, dir.resolve("b"), null).fit(train, dev, dev);
        assertEquals(a.steps(), b.steps(), "identical per-step losses");
        assertEquals(a.testAtHalf().toJson(), b.testAtHalf().toJson(), "identical metrics");

        // Interrupted right after epoch 1's checkpoint was written (the listener plays the crash), then resumed.
        Path c = dir.resolve("c");
        TrainingListener crashAfterFirstEpoch = new TrainingListener() {
            @Override
            public void onEpoch(EpochRecord record) {
                throw new IllegalStateException("simulated crash");
            }
        };
        assertThrows(IllegalStateException.class,
                () -> new Trainer(freshModel(5), tok, folder, opts, c, crashAfterFirstEpoch).fit(train, dev, dev));
        Trainer.Result resumed = new Trainer(freshModel(99), tok, folder, opts, c, null).fit(train, dev, dev, c.resolve("last"));
        assertEquals(a.history().get(2).trainLoss(), resumed.history().get(resumed.history().size() - 1).trainLoss(), 0.0);
        assertEquals(a.testAtHalf().toJson(), resumed.testAtHalf().toJson(), "resumed run ends where the uninterrupted one does");
    }

    @Test
    void stopMidEpochSavesAResumableCheckpointThatEndsWhereTheUninterruptedRunEnds(@TempDir Path dir) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = toyData(6, 40);
        Dataset dev = toyData(7, 16);
        TrainingOptions opts = options().withEpochs(2).withAdversarial(new Fgm(0.5f));
        Trainer.Result straight = new Trainer(freshModel(8), tok, folder, opts, dir.resolve("a"), null).fit(train, dev, dev);

        Path b = dir.resolve("b");
        Trainer[] holder = new Trainer[1];
        TrainingListener ctrlC = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.globalStep() == 3) holder[0].requestStop(); // part-way through epoch 1 (5 steps per epoch)
            }
        };
        holder[0] = new Trainer(freshModel(8), tok, folder, opts, b, ctrlC);
        TrainingInterruptedException stop = assertThrows(TrainingInterruptedException.class, () -> holder[0].fit(train, dev, dev));
        assertTrue(stop.getMessage().contains("--resume"), stop.getMessage());
        List<String> epochStarts = new ArrayList<>();
        TrainingListener bar = new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int steps, int stepsDone) {
                epochStarts.add("epoch " + epoch + ": " + stepsDone + " of " + steps + " done");
            }
        };
        Trainer.Result resumed = new Trainer(freshModel(123), tok, folder, opts, b, bar).fit(train, dev, dev, b.resolve("last"));
        assertEquals(List.of("epoch 1: 3 of 5 done", "epoch 2: 0 of 5 done"), epochStarts,
                "a progress bar learns which of the epoch's steps were taken before the restart");
        assertEquals(straight.testAtHalf().toJson(), resumed.testAtHalf().toJson());
        assertEquals(straight.history().get(1).trainLoss(), resumed.history().get(resumed.history().size() - 1).trainLoss(), 0.0);
        assertEquals(straight.history().get(0).trainLoss(), resumed.history().get(0).trainLoss(), 1e-12,
                "epoch 1's loss combines the steps before and after the interruption");
    }

    @Test
    void midEpochCheckpointsChangeNothingAndAKilledRunResumesFromTheLastOne(@TempDir Path dir) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = toyData(2, 40); // 5 steps of 8 per epoch
        Dataset dev = toyData(3, 16);
        TrainingOptions opts = options().withEpochs(2).withAdversarial(new Fgm(0.5f));
        Trainer.Result straight = new Trainer(freshModel(5), tok, folder, opts, dir.resolve("a"), null).fit(train, dev, dev);

        // Every 2 steps: while step 5 reports (before anything else is saved) last/ holds step 4, mid epoch 1. Copy the
        // folder as a SIGKILL there would leave it, then resume a fresh trainer from the copy.
        Path b = dir.resolve("b");
        Path killedAt4 = dir.resolve("killed-at-4");
        TrainingListener snapshot = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.globalStep() != 5) return;
                try {
                    TrainerState saved = TrainerState.read(b.resolve("last"));
                    assertEquals(4, saved.globalStep());
                    assertEquals(0, saved.epochsDone());
                    assertEquals(4, saved.batchesDoneInEpoch());
                    copyTree(b, killedAt4);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        };
        Trainer.Result every2 = new Trainer(freshModel(5), tok, folder, opts, b, snapshot).checkpointEvery(2).fit(train, dev, dev);
        assertEquals(straight.steps(), every2.steps(), "checkpoints do not change what is trained");
        assertEquals(straight.testAtHalf().toJson(), every2.testAtHalf().toJson());
        assertEquals(10, every2.timings().size(), "one timing per step");

        Trainer.Result resumed = new Trainer(freshModel(99), tok, folder, opts, killedAt4, null).checkpointEvery(2)
                .fit(train, dev, dev, killedAt4.resolve("last"));
        assertEquals(straight.steps(), resumed.steps());
        assertEquals(straight.testAtHalf().toJson(), resumed.testAtHalf().toJson());
        assertEquals(10, resumed.timings().size(), "steps 1-4 read back from step-times.csv, 5-10 measured");
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    @Test
    void randomControlUnderAccumulationResumesExactlyAndStepsCsvHoldsEveryStep(@TempDir Path dir) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = toyData(6, 40); // 5 batches of 8 per epoch; accumulation 2: steps of 2, 2 and 1 micro-batches
        Dataset dev = toyData(7, 16);
        TrainingOptions opts = options().withEpochs(2).withGradientAccumulation(2)
                .withAdversarial(new RandomDirection(0.5f));
        Path a = dir.resolve("a");
        Trainer.Result straight = new Trainer(freshModel(8), tok, folder, opts, a, null).fit(train, dev, dev);
        assertEquals(6, straight.steps().size());

        Path b = dir.resolve("b");
        Trainer[] holder = new Trainer[1];
        TrainingListener ctrlC = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.globalStep() == 2) holder[0].requestStop(); // mid epoch 1
            }
        };
        holder[0] = new Trainer(freshModel(8), tok, folder, opts, b, ctrlC);
        assertThrows(TrainingInterruptedException.class, () -> holder[0].fit(train, dev, dev));
        assertEquals(2, Trainer.readSteps(b.resolve(Trainer.STEPS_FILE), Long.MAX_VALUE).size(),
                "the interrupted run's steps.csv holds the steps its checkpoint has");
        Trainer.Result resumed = new Trainer(freshModel(123), tok, folder, opts, b, null).fit(train, dev, dev, b.resolve("last"));

        // The random directions are drawn again identically after the resume: every step's numbers are the same.
        assertEquals(straight.steps(), resumed.steps());
        assertEquals(Files.readString(a.resolve(Trainer.STEPS_FILE)), Files.readString(b.resolve(Trainer.STEPS_FILE)));

        List<String> lines = Files.readAllLines(a.resolve(Trainer.STEPS_FILE));
        assertEquals("step,epoch,loss,adversarial_loss,adversarial_loss_increase,perturbation_norm,learning_rate,grad_norm",
                lines.get(0));
        assertEquals(1 + 6, lines.size(), "a header and one line per optimizer step");
        assertEquals(straight.steps(), Trainer.readSteps(a.resolve(Trainer.STEPS_FILE), Long.MAX_VALUE), "round trip");
        for (StepRecord r : straight.steps()) {
            assertEquals(0.5, r.perturbationNorm(), 1e-5, "every micro-batch perturbed by eps, step " + r.step());
            assertEquals(r.adversarialLoss() - r.loss(), r.adversarialLossIncrease(), 1e-6, "step " + r.step());
        }
        // 6 steps, warmup ratio 0.05: ceil(0.3) = 1 warmup step (rounding to nearest gave none), so step 1 runs at
        // lr 0, step 2 at the peak, then linear decay to 0 after step 6: step 3 at 4/5 of the peak.
        assertEquals(0f, straight.steps().get(0).learningRate());
        assertEquals(opts.learningRate(), straight.steps().get(1).learningRate(), 1e-9);
        assertEquals(opts.learningRate() * 0.8, straight.steps().get(2).learningRate(), 1e-9);
    }

    @Test
    void aRunStoppedBetweenTheHistoryAndTheLastCheckpointResumesWithoutLosingAnEpoch(@TempDir Path dir) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = toyData(8, 16);
        Dataset dev = toyData(9, 8);
        TrainingOptions opts = options().withEpochs(2);
        Trainer.Result straight = new Trainer(freshModel(2), tok, folder, opts, dir.resolve("a"), null).fit(train, dev, dev);

        // A folder where history.json's temporary file goes makes epoch 1's history write fail: the process dies at
        // that instant, as if killed. Whatever checkpoint it left, resuming from it must give the full history.
        Path b = dir.resolve("b");
        Path obstacle = Files.createDirectories(b.resolve("history.json.tmp-" + ProcessHandle.current().pid()));
        assertThrows(java.io.IOException.class, () -> new Trainer(freshModel(2), tok, folder, opts, b, null).fit(train, dev, dev));
        Files.delete(obstacle);
        Path last = b.resolve("last");
        new Trainer(freshModel(2), tok, folder, opts, b, null).fit(train, dev, dev, Files.exists(last) ? last : null);

        var history = new com.fasterxml.jackson.databind.ObjectMapper().readTree(b.resolve("history.json").toFile());
        assertEquals(2, history.size(), history.toString());
        for (int i = 0; i < 2; i++) {
            assertEquals(i + 1, history.get(i).get("epoch").asInt());
            assertEquals(straight.history().get(i).trainLoss(), history.get(i).get("train_loss").asDouble(), 0.0);
        }
    }

    @Test
    void divergingLossStopsWithAClearError(@TempDir Path out) throws Exception {
        Path folder = Golden.fixture("tiny").folder();
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(folder);
        Dataset train = toyData(4, 16);
        ElectraForSequenceClassification model = freshModel(1);
        // Poison one weight: the very first forward yields NaN.
        model.namedParameters().get("classifier.out_proj.bias").copyFrom(new float[]{Float.NaN, 0, 0});
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(model, tok, folder, options(), out, null).fit(train, train, null));
        assertTrue(e.getMessage().contains("epoch 1, step 1"), e.getMessage());
    }
}
