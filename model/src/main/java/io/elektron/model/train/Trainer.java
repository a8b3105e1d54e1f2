package io.elektron.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.ops.Reductions;
import io.elektron.core.optim.AdamW;
import io.elektron.core.optim.LinearWarmupSchedule;
import io.elektron.core.optim.OptimizerUpdate;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.adversarial.StepContext;
import io.elektron.model.adversarial.StepStats;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfFolderWriter;
import io.elektron.model.hf.PretrainedLoader;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.io.FolderSwap;
import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.metrics.MultiLabelMetrics;
import io.elektron.model.metrics.PerLabelThresholds;
import io.elektron.model.metrics.ThresholdSearch;
import io.elektron.model.metrics.ThresholdTuner;
import io.elektron.model.metrics.TunedThreshold;
import io.elektron.model.metrics.TuningObjective;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-label fine-tuning: per optimizer step, {@code gradientAccumulation} micro-batches each run through the chosen
 * adversarial method (clean forward/backward, attack, adversarial forward/backward, restore), then global-norm
 * clipping, AdamW, the schedule and zeroed gradients. After each epoch: dev evaluation, checkpoints ("best" when the
 * dev score improved, "last" always, for resuming), early stopping. At the end, thresholds are tuned on dev with the
 * best weights and applied to test.
 *
 * <p>Reproducible: model init, dropout masks (a seed stream), and each epoch's shuffle are all functions of the seed,
 * so the same seed and data give the same metrics — also across an interruption and resume.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Per optimizer step: clean loss, adversarial loss and its increase, perturbation norm, learning rate, gradient
     * norm. Rewritten (atomically) with history.json at every epoch end and on interruption, so it always matches
     * the checkpoint a resumed run starts from; rewriting it every step would cost an fsync per step.
     */
    public static final String STEPS_FILE = "steps.csv";
    /** Per optimizer step: wall-clock seconds and real tokens ({@link StepTiming}); written with steps.csv. */
    public static final String STEP_TIMES_FILE = "step-times.csv";

    private final ElectraForSequenceClassification model;
    private final WordPieceTokenizer tokenizer;
    private final Path tokenizerFolder;
    private final TrainingOptions options;
    private final Path outDir;
    private final TrainingListener listener;
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<StepTiming> timings = new ArrayList<>();
    /** Optimizer steps between mid-epoch "last" checkpoints; 0 = only at epoch ends. */
    private int checkpointSteps;
    private final List<EpochRecord> history = new ArrayList<>();

    /**
     * @param tokenizerFolder folder whose tokenizer files are copied into checkpoints (may be null)
     * @param outDir          run folder: best/, last/, history.json, steps.csv
     */
    public Trainer(ElectraForSequenceClassification model, WordPieceTokenizer tokenizer, Path tokenizerFolder,
                   TrainingOptions options, Path outDir, TrainingListener listener) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.tokenizerFolder = tokenizerFolder;
        this.options = options;
        this.outDir = outDir;
        this.listener = listener == null ? new TrainingListener() { } : listener;
    }

    /** The final report of a run. */
    public record Result(List<EpochRecord> history, List<StepRecord> steps, int bestEpoch, TunedThreshold globalThreshold,
                         PerLabelThresholds perLabelThresholds, MetricsReport devAtHalf, MetricsReport testAtHalf,
                         MetricsReport testAtGlobal, MetricsReport testAtPerLabel, Path bestCheckpoint,
                         List<StepTiming> timings) {
    }

    /**
     * Also saves the resumable "last" checkpoint every {@code steps} optimizer steps inside an epoch, so that a process
     * killed outright (SIGKILL, a power cut, the end of a batch job's time) loses at most that many steps; 0 (the
     * default) saves only at epoch ends. Checkpoints do not change what is trained: a run gives the same numbers with
     * any interval.
     */
    public Trainer checkpointEvery(int steps) {
        if (steps < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got " + steps);
        this.checkpointSteps = steps;
        return this;
    }

    public Result fit(Dataset train, Dataset dev, Dataset test) throws IOException {
        return fit(train, dev, test, null);
    }

    /** Trains; with {@code resumeFrom} (a "last" checkpoint folder) continues after its completed epochs. */
    public Result fit(Dataset train, Dataset dev, Dataset test, Path resumeFrom) throws IOException {
        List<String> labels = model.config().labelNames();
        requireLabels("train", train, labels);
        requireLabels("dev", dev, labels);
        if (test != null) requireLabels("test", test, labels);
        for (String never : train.labelsNeverSeen()) listener.onMessage("warning: label '" + never + "' has no positive example in train");

        ExampleEncoder encoder = new ExampleEncoder(tokenizer, options.maxLength());
        List<TokenizedExample> trainSet = encoder.encode(train.examples());
        List<TokenizedExample> devSet = encoder.encode(dev.examples());
        int padId = PadToken.id(tokenizer, model.config());
        int stepsPerEpoch = (int) Math.ceil(Math.ceil(trainSet.size() / (double) options.batchSize()) / options.gradientAccumulation());
        long totalSteps = (long) stepsPerEpoch * options.epochs();
        if (options.maxSteps() > 0) totalSteps = Math.min(totalSteps, options.maxSteps());
        LinearWarmupSchedule schedule = new LinearWarmupSchedule(
                LinearWarmupSchedule.warmupSteps((int) totalSteps, options.warmupRatio()), (int) totalSteps);
        AdamW optimizer = new AdamW(ParameterGroups.build(model.namedParameters(), model.config().numHiddenLayers(),
                options.weightDecay(), options.layerwiseLrDecay()), options.learningRate(), 0.9f, 0.999f, options.adamEps());
        currentOptimizer = optimizer;
        OptimizerUpdate update = new OptimizerUpdate(model.parameters(), optimizer, schedule, options.learningRate(),
                options.maxGradNorm());
        Tensor posWeight = posWeight(train);
        Files.createDirectories(outDir);
        // A process killed between the renames of a checkpoint save left it under a temporary name: put it back first.
        FolderSwap.recover(outDir.resolve("best"));
        FolderSwap.recover(outDir.resolve("last"));
        if (resumeFrom != null) FolderSwap.recover(resumeFrom);

        TrainerState state = new TrainerState(0, 0, 0, options.seed(), 0, Double.NEGATIVE_INFINITY, 0, 0,
                TrainerState.EpochProgress.NONE);
        model.seeds().reset(options.seed());
        if (resumeFrom != null) {
            state = TrainerState.read(resumeFrom);
            if (state.seed() != options.seed()) {
                throw new IllegalArgumentException("resume: the checkpoint was trained with seed " + state.seed()
                        + ", this run uses " + options.seed() + "; use the same seed to continue the same run");
            }
            PretrainedLoader.load(model, PretrainedLoader.weightsFile(resumeFrom), n -> false, Map.of());
            TrainerState.loadOptimizer(optimizer, resumeFrom);
            model.seeds().restore(state.seed(), state.seedPosition());
            readHistory();
            steps.addAll(readSteps(outDir.resolve(STEPS_FILE), state.globalStep()));
            timings.addAll(readStepTimes(outDir.resolve(STEP_TIMES_FILE), state.globalStep()));
            listener.onMessage("resumed from " + resumeFrom + " at epoch " + (state.epochsDone() + 1) + ", batch "
                    + state.batchesDoneInEpoch() + " (step " + state.globalStep() + ")");
        }

        long globalStep = state.globalStep();
        double bestScore = state.bestScore();
        int bestEpoch = state.bestEpoch();
        int sinceBest = state.epochsWithoutImprovement();
        Path bestDir = outDir.resolve("best");
        for (int epoch = state.epochsDone() + 1; epoch <= options.epochs(); epoch++) {
            if (options.maxSteps() > 0 && globalStep >= options.maxSteps()) break;
            boolean resumedMidEpoch = epoch == state.epochsDone() + 1 && state.batchesDoneInEpoch() > 0;
            TrainerState.EpochProgress p = resumedMidEpoch ? state.progress() : TrainerState.EpochProgress.NONE;
            int firstBatch = resumedMidEpoch ? state.batchesDoneInEpoch() : 0;
            long t0 = System.nanoTime() - (long) (p.seconds() * 1e9);
            model.train(true);
            List<Batches.Batch> batches = Batches.shuffled(trainSet, options.batchSize(), options.seed(), epoch, padId);
            int stepInEpoch = firstBatch / options.gradientAccumulation();
            listener.onEpochStart(epoch, Math.min(stepsPerEpoch, (int) (totalSteps - globalStep + stepInEpoch)), stepInEpoch);
            double lossSum = p.lossSum();
            int lossCount = p.lossCount();
            double pertSum = p.perturbationSum();
            double incSum = p.increaseSum();
            int incCount = p.increaseCount();
            long tokens = p.tokens();
            for (int b = firstBatch; b < batches.size(); b += options.gradientAccumulation()) {
                if (options.maxSteps() > 0 && globalStep >= options.maxSteps()) break;
                int micro = Math.min(options.gradientAccumulation(), batches.size() - b);
                long stepStart = System.nanoTime();
                long stepTokens = 0;
                int[] passes = {0};
                double stepLoss = 0;
                double stepAdvLoss = 0;
                double stepIncrease = 0;
                double stepPerturbation = 0;
                int attacked = 0;
                StepStats last = null;
                for (int m = 0; m < micro; m++) {
                    Batches.Batch batch = batches.get(b + m);
                    // What a method draws at random (the random control's direction) is a function of the run's seed
                    // and this micro-step's place in the run: a resumed run draws what the uninterrupted one did.
                    long noiseSeed = options.seed() * 0x9E3779B97F4A7C15L + globalStep * options.gradientAccumulation() + m;
                    try (TensorScope scope = TensorScope.open()) {
                        Tensor targets = Tensor.of(model.backend(), batch.targets(labels.size()), batch.input().batch(), labels.size());
                        StepStats s = options.adversarial().step(new StepContext(model, model.electra().embeddings(),
                                batch.input(), () -> {
                                    passes[0]++; // every method back-propagates each loss it computes
                                    return ElectraForSequenceClassification.loss(
                                            model.forwardPacked(batch.input()).logits(), targets, posWeight);
                                }, 1f / micro, noiseSeed));
                        if (!Double.isFinite(s.cleanLoss()) || (!Double.isNaN(s.adversarialLoss()) && !Double.isFinite(s.adversarialLoss()))) {
                            optimizer.zeroGrad();
                            throw diverged("loss became " + s.cleanLoss() + " (adversarial " + s.adversarialLoss() + ")",
                                    epoch, globalStep + 1);
                        }
                        stepLoss += s.cleanLoss() / micro;
                        last = s;
                        tokens += batch.input().realTokens();
                        stepTokens += batch.input().realTokens();
                        if (!Double.isNaN(s.adversarialLoss())) {
                            incSum += s.lossIncrease();
                            incCount++;
                            stepAdvLoss += s.adversarialLoss();
                            stepIncrease += s.lossIncrease();
                            attacked++;
                        }
                        pertSum += s.perturbationNorm();
                        stepPerturbation += s.perturbationNorm() / micro;
                    }
                }
                OptimizerUpdate.Applied applied;
                try {
                    applied = update.apply(globalStep);
                } catch (OptimizerUpdate.NonFiniteGradientException e) {
                    throw diverged(e.getMessage() + " (loss " + stepLoss + ")", epoch, globalStep + 1);
                }
                double gradNorm = applied.gradNorm();
                float lr = applied.learningRate();
                globalStep++;
                stepInEpoch++;
                lossSum += stepLoss;
                lossCount++;
                steps.add(new StepRecord(globalStep, epoch, stepLoss, attacked == 0 ? Double.NaN : stepAdvLoss / attacked,
                        attacked == 0 ? Double.NaN : stepIncrease / attacked, stepPerturbation, lr, gradNorm));
                // The step's kernels have finished before the clock is read (an asynchronous device would otherwise
                // be timed at the speed it accepts work, not at the speed it does it).
                model.backend().synchronize();
                long now = System.nanoTime();
                timings.add(new StepTiming(globalStep, (now - stepStart) / 1e9, stepTokens, passes[0]));
                double seconds = (now - t0) / 1e9;
                listener.onStep(new TrainingListener.StepEvent(epoch, stepInEpoch, stepsPerEpoch, globalStep, totalSteps,
                        stepLoss, lr, gradNorm, tokens / Math.max(1e-9, seconds), last));
                int done = b + micro;
                boolean intervalDue = checkpointSteps > 0 && globalStep % checkpointSteps == 0 && done < batches.size();
                if (stopRequested || intervalDue) {
                    TrainerState partial = new TrainerState(epoch - 1, done, globalStep, options.seed(),
                            model.seeds().position(), bestScore, bestEpoch, sinceBest,
                            new TrainerState.EpochProgress(lossSum, lossCount, tokens, pertSum, incSum, incCount, seconds));
                    // Records first, as at an epoch end (below): steps.csv then never lacks steps the checkpoint has.
                    writeHistory();
                    saveCheckpoint(outDir.resolve("last"), null, partial);
                    if (stopRequested) throw new TrainingInterruptedException(outDir.resolve("last"), globalStep);
                }
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;

            float[][] devProbs = Predictor.probabilities(model, devSet, options.evalBatchSize(), padId);
            boolean[][] devGold = dev.labelMatrix();
            MetricsReport devHalf = MultiLabelMetrics.evaluate(devProbs, devGold, 0.5f, labels);
            TunedThreshold tuned = ThresholdTuner.tuneGlobal(devProbs, devGold, TuningObjective.MACRO_F1, ThresholdSearch.GRID);
            MetricsReport devTuned = MultiLabelMetrics.evaluate(devProbs, devGold, tuned.threshold(), labels);
            double score = devTuned.macro().f1();
            EpochRecord record = new EpochRecord(epoch, lossSum / Math.max(1, lossCount), devHalf, devTuned, score,
                    trainSeconds, tokens / Math.max(1e-9, trainSeconds), pertSum / Math.max(1, lossCount),
                    incCount == 0 ? Double.NaN : incSum / incCount);
            history.add(record);
            if (score > bestScore) {
                bestScore = score;
                bestEpoch = epoch;
                sinceBest = 0;
                saveCheckpoint(bestDir, tuned, null);
                listener.onMessage("epoch " + epoch + ": new best dev macro-F1 " + String.format("%.4f", score) + ", saved " + bestDir);
            } else {
                sinceBest++;
            }
            state = new TrainerState(epoch, 0, globalStep, options.seed(), model.seeds().position(), bestScore, bestEpoch,
                    sinceBest, TrainerState.EpochProgress.NONE);
            // History (and steps.csv) first: a process killed between the two writes then leaves "last" one epoch behind
            // the history, and resuming re-runs that epoch and replaces its records. The other order would lose the
            // records for good.
            writeHistory();
            saveCheckpoint(outDir.resolve("last"), tuned, state);
            listener.onEpoch(record);
            if (options.patience() > 0 && sinceBest >= options.patience()) {
                listener.onMessage("early stopping: no better dev score for " + sinceBest + " epoch(s)");
                break;
            }
        }

        if (bestEpoch == 0) throw new IllegalStateException("no epoch finished, nothing to evaluate");
        // Evaluate with the best weights.
        PretrainedLoader.load(model, PretrainedLoader.weightsFile(bestDir), n -> false, Map.of());
        float[][] devProbs = Predictor.probabilities(model, devSet, options.evalBatchSize(), padId);
        boolean[][] devGold = dev.labelMatrix();
        TunedThreshold global = ThresholdTuner.tuneGlobal(devProbs, devGold, TuningObjective.MACRO_F1, ThresholdSearch.GRID);
        PerLabelThresholds perLabel = ThresholdTuner.tunePerLabel(devProbs, devGold, ThresholdSearch.GRID);
        MetricsReport devHalf = MultiLabelMetrics.evaluate(devProbs, devGold, 0.5f, labels);
        MetricsReport testHalf = null;
        MetricsReport testGlobal = null;
        MetricsReport testPerLabel = null;
        if (test != null) {
            List<TokenizedExample> testSet = encoder.encode(test.examples());
            float[][] testProbs = Predictor.probabilities(model, testSet, options.evalBatchSize(), padId);
            boolean[][] testGold = test.labelMatrix();
            testHalf = MultiLabelMetrics.evaluate(testProbs, testGold, 0.5f, labels);
            testGlobal = MultiLabelMetrics.evaluate(testProbs, testGold, global.threshold(), labels);
            testPerLabel = MultiLabelMetrics.evaluate(testProbs, testGold, perLabel.thresholds(), labels);
        }
        AtomicFiles.write(bestDir.resolve(Thresholds.FILE_NAME), thresholdsJson(global, perLabel));
        return new Result(List.copyOf(history), List.copyOf(steps), bestEpoch, global, perLabel, devHalf, testHalf,
                testGlobal, testPerLabel, bestDir, List.copyOf(timings));
    }

    /**
     * Asks the run to stop after the current optimizer step, saving a resumable checkpoint (the CLI calls this on
     * Ctrl-C). {@link #fit} then throws {@link TrainingInterruptedException}.
     */
    public void requestStop() {
        stopRequested = true;
    }

    private volatile boolean stopRequested;

    private void saveCheckpoint(Path dir, TunedThreshold tuned, TrainerState state) throws IOException {
        requireFiniteWeights(dir);
        Map<String, byte[]> extra = new LinkedHashMap<>();
        Map<String, HfFolderWriter.FileContent> written = new LinkedHashMap<>();
        if (tuned != null) extra.put(Thresholds.FILE_NAME, thresholdsJson(tuned, null));
        extra.put(TrainingArgs.FILE_NAME, TrainingArgs.toJsonBytes(options));
        if (state != null) {
            extra.put(TrainerState.STATE_FILE, state.toJsonBytes());
            // Written straight into the staging folder: a temporary file beside it would outlive a killed process.
            written.put(TrainerState.OPTIMIZER_FILE, file -> TrainerState.writeOptimizer(currentOptimizer, file));
        }
        HfFolderWriter.save(dir, model, model.config(), "ElectraForSequenceClassification", tokenizerFolder, extra, written);
    }

    /**
     * The loss and gradient checks should stop a diverging run before its weights go bad; this is the last line, so
     * that no checkpoint on disk ever holds NaN or Inf (a sum of squares is non-finite exactly when some value is).
     */
    private void requireFiniteWeights(Path checkpoint) {
        // One wait for all parameters in the usual case; the loop below only names the culprit.
        if (Double.isFinite(Reductions.sumOfSquares(model.namedParameters().values()))) return;
        for (var e : model.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            if (!Double.isFinite(p.backend().sumOfSquares(p.storage(), 0, p.numel()))) {
                throw new TrainingDivergedException("parameter " + e.getKey() + " holds NaN or Inf; " + checkpoint
                        + " was not written" + lastCheckpointNote() + " — lower the learning rate or the adversarial eps");
            }
        }
    }

    private TrainingDivergedException diverged(String what, int epoch, long step) {
        return new TrainingDivergedException(what + " at epoch " + epoch + ", step " + step + lastCheckpointNote()
                + " — lower the learning rate or the adversarial eps");
    }

    private String lastCheckpointNote() {
        Path last = outDir.resolve("last");
        return Files.isDirectory(last) ? "; the last good checkpoint is " + last
                : "; no checkpoint had been written yet (the first comes at the end of epoch 1)";
    }

    private AdamW currentOptimizer;

    private byte[] thresholdsJson(TunedThreshold global, PerLabelThresholds perLabel) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("global", global.threshold());
        n.put("objective", "dev macro F1");
        ArrayNode names = n.putArray("labels");
        model.config().labelNames().forEach(names::add);
        if (perLabel != null) {
            ArrayNode per = n.putArray("per_label");
            for (float t : perLabel.thresholds()) per.add(t);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }

    /** Epochs recorded before an interruption (from the run folder's history.json), kept when writing it again. */
    private ArrayNode priorHistory = JSON.createArrayNode();

    private void readHistory() throws IOException {
        Path file = outDir.resolve("history.json");
        if (Files.isRegularFile(file)) {
            var node = JSON.readTree(file.toFile());
            if (node instanceof ArrayNode a) priorHistory = a;
        }
    }

    private void writeHistory() throws IOException {
        ArrayNode arr = JSON.createArrayNode();
        java.util.Set<Integer> fresh = new java.util.HashSet<>();
        for (EpochRecord r : history) fresh.add(r.epoch());
        for (var old : priorHistory) if (!fresh.contains(old.path("epoch").asInt())) arr.add(old);
        for (EpochRecord r : history) {
            ObjectNode n = arr.addObject();
            n.put("epoch", r.epoch());
            n.put("train_loss", r.trainLoss());
            n.put("dev_micro_f1_at_0.5", r.devAtHalf().micro().f1());
            n.put("dev_macro_f1_at_0.5", r.devAtHalf().macro().f1());
            n.put("dev_macro_f1_tuned", r.devTuned().macro().f1());
            n.put("dev_threshold_tuned", r.devTuned().globalThreshold());
            n.put("seconds", r.seconds());
            n.put("tokens_per_second", r.tokensPerSecond());
            n.put("mean_perturbation_norm", r.meanPerturbationNorm());
            if (!Double.isNaN(r.meanLossIncrease())) n.put("mean_adversarial_loss_increase", r.meanLossIncrease());
        }
        AtomicFiles.write(outDir.resolve("history.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(arr).getBytes(StandardCharsets.UTF_8));
        StringBuilder csv = new StringBuilder(StepRecord.CSV_HEADER).append('\n');
        for (StepRecord r : steps) csv.append(r.toCsv()).append('\n');
        AtomicFiles.write(outDir.resolve(STEPS_FILE), csv.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder times = new StringBuilder(StepTiming.CSV_HEADER).append('\n');
        for (StepTiming t : timings) times.append(t.toCsv()).append('\n');
        AtomicFiles.write(outDir.resolve(STEP_TIMES_FILE), times.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The step records of a run folder's steps.csv up to {@code upToStep} (a resumed run drops the steps its
     * checkpoint does not include: they run again); empty when there is no file.
     */
    public static List<StepRecord> readSteps(Path csv, long upToStep) throws IOException {
        return readCsv(csv, StepRecord::fromCsv, StepRecord::step, upToStep);
    }

    /** The timings of a run folder's step-times.csv up to {@code upToStep}; empty when there is no file. */
    public static List<StepTiming> readStepTimes(Path csv, long upToStep) throws IOException {
        return readCsv(csv, StepTiming::fromCsv, StepTiming::step, upToStep);
    }

    private static <T> List<T> readCsv(Path csv, java.util.function.Function<String, T> parse,
                                       java.util.function.ToLongFunction<T> step, long upToStep) throws IOException {
        List<T> out = new ArrayList<>();
        if (!Files.isRegularFile(csv)) return out;
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                T r = parse.apply(lines.get(i));
                if (step.applyAsLong(r) <= upToStep) out.add(r);
            } catch (IllegalArgumentException e) {
                throw new IOException(csv + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private Tensor posWeight(Dataset train) {
        if (options.posWeight() == TrainingOptions.PosWeight.NONE) return null;
        long[] positives = train.positivesPerLabel();
        float[] w = new float[positives.length];
        int n = train.size();
        for (int i = 0; i < w.length; i++) {
            w[i] = positives[i] == 0 ? 1f : (float) Math.min(30.0, (n - positives[i]) / (double) positives[i]);
        }
        Tensor t = Tensor.zerosUnscoped(model.backend(), w.length).named("pos_weight");
        t.copyFrom(w);
        return t;
    }

    private static void requireLabels(String split, Dataset d, List<String> labels) {
        // An empty split would "train" no step or score nothing, yet still save a best model: refuse before any work.
        if (d.size() == 0) throw new IllegalArgumentException(split + " set: no examples");
        if (!d.isFullyLabeled()) throw new IllegalArgumentException(split + " set: every example needs labels for training");
        if (!d.labelNames().equals(labels)) {
            throw new IllegalArgumentException(split + " set labels " + d.labelNames() + " differ from the model's " + labels);
        }
    }
}
