package io.elektron.model.pretrain;

import io.elektron.model.io.AtomicFiles;
import io.elektron.model.io.FolderSwap;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.optim.AdamW;
import io.elektron.core.optim.OptimizerUpdate;
import io.elektron.core.optim.LinearWarmupSchedule;
import io.elektron.model.EncoderInput;
import io.elektron.model.hf.HfFolderWriter;
import io.elektron.model.hf.PretrainedLoader;
import io.elektron.model.train.ParameterGroups;
import io.elektron.model.train.TrainingDivergedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ELECTRA pre-training (replaced-token detection). Per optimizer step, {@code accumulation} micro-batches each: mask
 * (dynamic), generator forward at the masked positions, sample replacements (no gradient), discriminator forward,
 * backward of MLM + discWeight * BCE scaled by 1/accumulation; then global-norm clipping, AdamW with linear warmup and
 * decay, zeroed gradients. A non-finite loss or gradient norm stops the run (the last checkpoint stays good).
 *
 * <p>Reproducible: the data order of each pass over the corpus, every mask and every sample are functions of (seed,
 * micro-batch index), and dropout draws from a {@link SeedStream} whose position is checkpointed, so a resumed run
 * takes the same steps as an uninterrupted one.
 *
 * <p>Run folder: {@code last/} (resumable: {@code discriminator/} and {@code generator/} HF folders, the optimizer,
 * {@code pretrain_state.json}, {@code steps.csv}), replaced atomically at every checkpoint, and at the end
 * {@code discriminator/} (loads as ElectraForPreTraining, or as the encoder of a classifier) and {@code generator/}
 * (ElectraForMaskedLM, LM head tied, so its safetensors omits {@code generator_lm_head.weight} as HF does) plus
 * {@code steps.csv}.
 */
public final class ElectraPretrainer {
    static final long TRAIN_MASK = 1;
    static final long TRAIN_SAMPLE = 2;
    static final long TRAIN_ORDER = 3;
    static final long EVAL_MASK = 4;
    static final long EVAL_SAMPLE = 5;
    static final String STEPS_FILE = "steps.csv";

    private final RtdModel model;
    private final SeedStream seeds;
    private final TokenMasker masker;
    private final int padId;
    private final Path tokenizerFolder;
    private final PretrainOptions options;
    private final Path outDir;
    private final PretrainListener listener;
    private final RtdObjective objective;
    private int trainSequenceCount;

    /** The final report of a run. */
    public record Result(List<PretrainStepRecord> steps, RtdEvaluation heldOut, Path discriminator, Path generator,
                         Path checkpoint, double seconds) {
    }

    /**
     * @param model           built with its dropout {@link SeedStream} ({@link RtdModel#create}), whose position is
     *                        checkpointed
     * @param tokenizerFolder folder whose tokenizer files (vocab.txt, ...) are copied into each saved model (may be null)
     */
    public ElectraPretrainer(RtdModel model, TokenMasker masker, int padId, Path tokenizerFolder, PretrainOptions options,
                             Path outDir, PretrainListener listener) {
        if (model.seeds() == null) {
            throw new IllegalArgumentException("the models' dropout seed stream is unknown: build them with RtdModel.create "
                    + "or pass the SeedStream they were built with to the RtdModel constructor");
        }
        this.model = model;
        this.seeds = model.seeds();
        this.masker = masker;
        this.padId = padId;
        this.tokenizerFolder = tokenizerFolder;
        this.options = options;
        this.outDir = outDir;
        this.listener = listener == null ? new PretrainListener() { } : listener;
        this.objective = new RtdObjective(options.discWeight());
        if (!masker.options().equals(options.masking())) {
            throw new IllegalArgumentException("the masker's options differ from the run options' masking");
        }
    }

    /**
     * Trains for {@code options.steps()} optimizer steps; with {@code resumeFrom} (a {@code last/} folder) continues an
     * interrupted run after its last checkpoint.
     *
     * @param heldOut sequences scored every {@code evalEvery} steps and at the end (empty or null: none)
     */
    public Result train(List<int[]> trainSequences, List<int[]> heldOut, Path resumeFrom) throws IOException {
        if (heldOut == null) heldOut = List.of();
        if (trainSequences.isEmpty()) throw new IllegalArgumentException("the corpus gave no training sequences");
        trainSequenceCount = trainSequences.size();
        Files.createDirectories(outDir);
        AdamW optimizer = new AdamW(ParameterGroups.build(model.namedParameters(), 0, options.weightDecay(), 0f),
                options.learningRate(), 0.9f, 0.999f, options.adamEps());
        LinearWarmupSchedule schedule = new LinearWarmupSchedule(options.effectiveWarmup(), options.steps());
        OptimizerUpdate update = new OptimizerUpdate(model.parameters(), optimizer, schedule, options.learningRate(),
                options.maxGradNorm());
        List<PretrainStepRecord> records = new ArrayList<>();
        long startStep = 0;
        seeds.reset(options.seed());
        if (resumeFrom != null) {
            FolderSwap.recover(resumeFrom); // a process killed between the renames of its last save
            PretrainState state = PretrainState.read(resumeFrom);
            state.requireSameRun(options, trainSequences.size(), resumeFrom);
            loadWeights(resumeFrom);
            PretrainState.readOptimizer(optimizer, resumeFrom);
            seeds.restore(state.seed(), state.seedPosition());
            startStep = state.step();
            records.addAll(readSteps(resumeFrom.resolve(STEPS_FILE), startStep));
            if (state.totalSteps() != options.steps()) {
                listener.onMessage("note: the checkpoint's run was planned for " + state.totalSteps() + " steps, now "
                        + options.steps() + ": the learning-rate schedule changes from here on");
            }
            listener.onMessage("resumed from " + resumeFrom + " after step " + startStep);
        }

        listener.onStart(startStep, options.steps());
        model.train(true);
        Batcher batcher = new Batcher(trainSequences, options.batchSize(), options.seed(), padId);
        int accumulation = options.accumulation();
        RtdEvaluation heldOutScore = null;
        long started = System.nanoTime();
        long tokens = 0;
        for (long step = startStep; step < options.steps(); step++) {
            double loss = 0;
            double mlm = 0;
            int mlmParts = 0;
            double disc = 0;
            long masked = 0;
            long replaced = 0;
            RtdCounts counts = RtdCounts.ZERO;
            for (int j = 0; j < accumulation; j++) {
                long micro = step * accumulation + j;
                EncoderInput batch = batcher.batch(micro);
                try (TensorScope scope = TensorScope.open()) {
                    MaskedBatch mb = masker.mask(batch, new SplittableRandom(derivedSeed(options.seed(), TRAIN_MASK, micro)));
                    ReplacementSampler sampler = ReplacementSampler.softmax(
                            new SplittableRandom(derivedSeed(options.seed(), TRAIN_SAMPLE, micro)), options.temperature());
                    RtdResult r = objective.forward(model, mb, sampler);
                    double total = r.total().item();
                    if (!Double.isFinite(total)) {
                        optimizer.zeroGrad();
                        throw diverged("loss became " + total + " (MLM " + r.mlmLossValue() + ", discriminator "
                                + r.discLoss().item() + ")", step + 1);
                    }
                    Tensor scaled = accumulation == 1 ? r.total() : r.total().mul(1f / accumulation);
                    scaled.backward();
                    loss += total / accumulation;
                    if (r.mlmLoss() != null) {
                        mlm += r.mlmLoss().item();
                        mlmParts++;
                    }
                    disc += r.discLoss().item() / accumulation;
                    masked += mb.count();
                    replaced += r.replacedCount();
                    counts = counts.plus(r.counts());
                    tokens += batch.realTokens();
                }
            }
            OptimizerUpdate.Applied applied;
            try {
                applied = update.apply(step);
            } catch (OptimizerUpdate.NonFiniteGradientException e) {
                throw diverged(e.getMessage(), step + 1);
            }
            double gradNorm = applied.gradNorm();
            float lr = applied.learningRate();
            long done = step + 1;
            double seconds = (System.nanoTime() - started) / 1e9;
            PretrainStepRecord record = new PretrainStepRecord(done, lr, loss, mlmParts == 0 ? Double.NaN : mlm / mlmParts,
                    disc, counts.accuracy(), counts.precision(), counts.recall(), counts.f1(),
                    masked == 0 ? Double.NaN : (double) replaced / masked, gradNorm, tokens / Math.max(1e-9, seconds));
            records.add(record);
            listener.onStep(record);
            boolean last = done == options.steps();
            if (!last && !heldOut.isEmpty() && options.evalEvery() > 0 && done % options.evalEvery() == 0) {
                heldOutScore = evaluate(heldOut);
                listener.onEvaluation(done, heldOutScore);
            }
            if (!last && options.checkpointEvery() > 0 && done % options.checkpointEvery() == 0) {
                saveCheckpoint(done, optimizer, records);
            }
        }
        if (!heldOut.isEmpty()) {
            heldOutScore = evaluate(heldOut);
            listener.onEvaluation(options.steps(), heldOutScore);
        }
        Path checkpoint = saveCheckpoint(options.steps(), optimizer, records);
        Path discriminatorDir = outDir.resolve("discriminator");
        Path generatorDir = outDir.resolve("generator");
        saveModels(outDir);
        AtomicFiles.write(outDir.resolve(STEPS_FILE), stepsCsv(records));
        return new Result(List.copyOf(records), heldOutScore, discriminatorDir, generatorDir, checkpoint,
                (System.nanoTime() - started) / 1e9);
    }

    /** Held-out replaced-token detection with the run's masking and objective. */
    public RtdEvaluation evaluate(List<int[]> heldOut) {
        return RtdEvaluator.evaluate(model, heldOut, masker, objective, options.evalBatchSize(), padId,
                options.temperature(), options.seed());
    }

    private TrainingDivergedException diverged(String what, long step) {
        return new TrainingDivergedException(what + " at step " + step + "; the last good checkpoint is "
                + outDir.resolve("last") + " — lower the learning rate (--lr) or raise the warmup");
    }

    // ======================================================================== checkpoints

    /** Writes the two HF folders into {@code dir}. */
    private void saveModels(Path dir) throws IOException {
        HfFolderWriter.save(dir.resolve("discriminator"), model.discriminator(), model.discriminator().config(),
                "ElectraForPreTraining", tokenizerFolder, Map.of());
        // The LM head's weight is the shared word matrix: HfFolderWriter stores each tensor once, under its first name
        // (electra.embeddings.word_embeddings.weight), so model.safetensors omits generator_lm_head.weight as HF does.
        HfFolderWriter.save(dir.resolve("generator"), model.generator(), model.generator().config(),
                "ElectraForMaskedLM", tokenizerFolder, Map.of());
    }

    private Path saveCheckpoint(long step, AdamW optimizer, List<PretrainStepRecord> records) throws IOException {
        Path target = outDir.resolve("last");
        Path staging = FolderSwap.stagingFolder(target);
        try {
            saveModels(staging);
            PretrainState state = new PretrainState(step, options.seed(), seeds.position(), options.batchSize(),
                    options.accumulation(), trainSequenceCount, options.steps());
            Files.write(staging.resolve(PretrainState.STATE_FILE), state.toJsonBytes());
            PretrainState.writeOptimizer(optimizer, staging.resolve(PretrainState.OPTIMIZER_FILE));
            Files.write(staging.resolve(STEPS_FILE), stepsCsv(records));
            FolderSwap.publish(staging, target);
        } catch (IOException | RuntimeException e) {
            FolderSwap.deleteTree(staging);
            throw e;
        }
        AtomicFiles.write(outDir.resolve(STEPS_FILE), stepsCsv(records));
        listener.onMessage("checkpoint after step " + step + ": " + target);
        return target;
    }

    private void loadWeights(Path checkpoint) throws IOException {
        PretrainedLoader.load(model.discriminator(), PretrainedLoader.weightsFile(checkpoint.resolve("discriminator")),
                n -> false, Map.of());
        PretrainedLoader.load(model.generator(), PretrainedLoader.weightsFile(checkpoint.resolve("generator")),
                n -> false, Map.of("generator_lm_head.weight", "electra.embeddings.word_embeddings.weight"));
    }

    private static byte[] stepsCsv(List<PretrainStepRecord> records) {
        StringBuilder sb = new StringBuilder(PretrainStepRecord.CSV_HEADER).append('\n');
        for (PretrainStepRecord r : records) sb.append(r.toCsv()).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The step records of a checkpoint, up to its step. */
    public static List<PretrainStepRecord> readSteps(Path csv, long upToStep) throws IOException {
        List<PretrainStepRecord> out = new ArrayList<>();
        if (!Files.isRegularFile(csv)) return out;
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                PretrainStepRecord r = PretrainStepRecord.fromCsv(lines.get(i));
                if (r.step() <= upToStep) out.add(r);
            } catch (IllegalArgumentException e) {
                throw new IOException(csv + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    // ======================================================================== data order and seeds

    /**
     * A seed for one purpose (mask, sample, order, ...) and index, mixed with SplitMix64's finalizer so that nearby
     * indices give unrelated generators.
     */
    static long derivedSeed(long seed, long purpose, long index) {
        long z = seed + purpose * 0x9E3779B97F4A7C15L + (index + 1) * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Micro-batch {@code i} of the run: pass {@code i / batchesPerPass} over the sequences, shuffled by a generator
     * seeded with (seed, pass), so any micro-batch can be rebuilt without replaying the ones before it.
     */
    private static final class Batcher {
        private final List<int[]> sequences;
        private final int batchSize;
        private final long seed;
        private final int padId;
        private final int batchesPerPass;
        private long pass = -1;
        private int[] order;

        Batcher(List<int[]> sequences, int batchSize, long seed, int padId) {
            this.sequences = sequences;
            this.batchSize = batchSize;
            this.seed = seed;
            this.padId = padId;
            this.batchesPerPass = (sequences.size() + batchSize - 1) / batchSize;
        }

        EncoderInput batch(long micro) {
            long p = micro / batchesPerPass;
            if (p != pass) {
                order = new int[sequences.size()];
                for (int i = 0; i < order.length; i++) order[i] = i;
                SplittableRandom random = new SplittableRandom(derivedSeed(seed, TRAIN_ORDER, p));
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
                pass = p;
            }
            int start = (int) (micro % batchesPerPass) * batchSize;
            List<int[]> part = new ArrayList<>(batchSize);
            for (int i = start; i < Math.min(order.length, start + batchSize); i++) part.add(sequences.get(order[i]));
            return PretrainCorpus.batch(part, padId);
        }
    }
}
