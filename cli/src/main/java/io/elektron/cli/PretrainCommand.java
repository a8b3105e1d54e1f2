package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.cli.report.TrainingPlots;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.data.DataFormatException;
import io.elektron.model.ElectraConfig;
import io.elektron.model.pretrain.ElectraPretrainer;
import io.elektron.model.pretrain.MaskingOptions;
import io.elektron.model.pretrain.PretrainCorpus;
import io.elektron.model.pretrain.PretrainListener;
import io.elektron.model.pretrain.PretrainOptions;
import io.elektron.model.pretrain.PretrainStepRecord;
import io.elektron.model.pretrain.RtdCounts;
import io.elektron.model.pretrain.RtdEvaluation;
import io.elektron.model.pretrain.RtdModel;
import io.elektron.model.pretrain.TokenMasker;
import io.elektron.tokenizer.WordPieceTokenizer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * ELECTRA pre-training from plain text: a generator and a discriminator sharing their embeddings, trained together on
 * replaced-token detection. The discriminator folder it writes is what `elektron train --model` fine-tunes.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pre-train an ELECTRA discriminator (and its generator) on plain text with replaced-token detection.")
final class PretrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUNDLED_VOCAB = "/io/elektron/cli/vocab/bert-base-uncased-vocab.txt";

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", required = true, arity = "1..*",
            description = "Plain UTF-8 text files: one document per line, or documents separated by blank lines.")
    List<Path> corpus;

    @Option(names = "--config", defaultValue = "tiny",
            description = "Discriminator size: tiny (hidden 128, 2 layers), small (ELECTRA-Small: hidden 256, 12 layers), or a config.json. Default: ${DEFAULT-VALUE}.")
    String config;

    @Option(names = "--generator-size", defaultValue = "0.25",
            description = "Generator hidden and intermediate sizes as a fraction of the discriminator's. Default: ${DEFAULT-VALUE}.")
    double generatorSize;

    @Option(names = "--out", description = "Run folder, new or empty (see --overwrite, --resume). Default: runs/pretrain-<time>.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the results of a previous run in --out (they are moved aside to <out>.previous-<time>, not deleted).")
    boolean overwrite;

    @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--lr", defaultValue = "5e-4", description = "Peak learning rate. Default: ${DEFAULT-VALUE} (ELECTRA-Small).")
    float lr;

    @Option(names = "--warmup", description = "Warmup steps, then linear decay to 0. Default: 10% of --steps.")
    Integer warmup;

    @Option(names = "--batch-size", defaultValue = "32", description = "Sequences per micro-batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--accumulation", defaultValue = "1", description = "Micro-batches per optimizer step. Default: ${DEFAULT-VALUE}.")
    int accumulation;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "Global gradient-norm clip. Default: ${DEFAULT-VALUE}.")
    float maxGradNorm;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Default: ${DEFAULT-VALUE} (biases and LayerNorm excluded).")
    float weightDecay;

    @Option(names = "--disc-weight", defaultValue = "50", description = "Weight of the discriminator loss (lambda). Default: ${DEFAULT-VALUE}.")
    float discWeight;

    @Option(names = "--mask-prob", defaultValue = "0.15", description = "Share of tokens masked. Default: ${DEFAULT-VALUE}.")
    float maskProb;

    @Option(names = "--masking", defaultValue = "per-row",
            description = "per-row (k = max(1, round(p n)) tokens per sequence) or bernoulli (each token with probability p). Default: ${DEFAULT-VALUE}.")
    String masking;

    @Option(names = "--whole-word", description = "Mask whole words (a token with its ## continuations).")
    boolean wholeWord;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--resume", description = "Continue an interrupted run from its 'last' folder (same corpus and options).")
    Path resume;

    @Option(names = "--max-length", defaultValue = "128", description = "Tokens per packed sequence, [CLS] and [SEP] included. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--vocab", description = "WordPiece vocab.txt. Default: the bundled bert-base-uncased vocabulary (30,522 tokens, as ELECTRA's).")
    Path vocab;

    @Option(names = "--cased", description = "Keep case and accents (for a cased vocabulary).")
    boolean cased;

    @Option(names = "--held-out", defaultValue = "0.05",
            description = "Share of the documents kept out of training to score replaced-token detection (0 = none). Default: ${DEFAULT-VALUE}.")
    double heldOut;

    @Option(names = "--checkpoint-every", description = "Write the resumable checkpoint every N steps. Default: every 10% of --steps.")
    Integer checkpointEvery;

    @Option(names = "--eval-every", defaultValue = "0", description = "Score the held-out text every N steps (0 = only at the end).")
    int evalEvery;

    @Option(names = "--json", description = "No progress bar; print the final metrics as JSON.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        PrintWriter pw = spec.commandLine().getOut();
        if (batchSize <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        if (!(heldOut >= 0 && heldOut < 1)) throw new IllegalArgumentException("--held-out must be in [0, 1), got " + heldOut);
        Path runDir = out != null ? out : Path.of("runs", "pretrain-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (resume != null && overwrite) throw new IllegalArgumentException("--overwrite starts a new run, --resume continues one: give only one");
        if (resume == null) {
            Path last = runDir.resolve("last");
            RunFolder.check(runDir, overwrite, Files.isDirectory(last) ? "--resume " + last : null)
                    .prepareForNewRun(spec.commandLine().getErr());
        }
        Files.createDirectories(runDir);

        Path tokenizerFolder = runDir.resolve("tokenizer");
        prepareTokenizerFolder(tokenizerFolder);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(tokenizerFolder);

        ElectraConfig discConfig;
        ElectraConfig genConfig;
        if (resume != null) {
            discConfig = ElectraConfig.load(resume.resolve("discriminator").resolve("config.json"));
            genConfig = ElectraConfig.load(resume.resolve("generator").resolve("config.json"));
        } else {
            discConfig = discriminatorConfig(tokenizer.vocabSize());
            genConfig = RtdModel.generatorConfig(discConfig, generatorSize);
        }
        if (discConfig.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("the config's vocab_size " + discConfig.vocabSize() + " differs from the vocabulary's "
                    + tokenizer.vocabSize() + " tokens (--vocab)");
        }
        if (maxLength > discConfig.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("--max-length " + maxLength + " exceeds the config's max_position_embeddings "
                    + discConfig.maxPositionEmbeddings());
        }

        List<String> docs = PretrainCorpus.readDocuments(corpus);
        // A file without text is a bad input file (exit 3), not a bad command line.
        if (docs.isEmpty()) throw new DataFormatException(corpus.get(0), 0, "no text in the corpus " + corpus + "; pre-training needs at least one line");
        List<String> trainDocs = new ArrayList<>();
        List<String> heldOutDocs = new ArrayList<>();
        splitDocuments(docs, trainDocs, heldOutDocs);
        List<int[]> trainSeqs = PretrainCorpus.pack(trainDocs, tokenizer, maxLength);
        List<int[]> heldOutSeqs = heldOutDocs.isEmpty() ? List.of() : PretrainCorpus.pack(heldOutDocs, tokenizer, maxLength);

        MaskingOptions maskingOptions = new MaskingOptions(maskProb, switch (masking) {
            case "per-row" -> MaskingOptions.Mode.PER_ROW_COUNT;
            case "bernoulli" -> MaskingOptions.Mode.BERNOULLI;
            default -> throw new IllegalArgumentException("--masking must be per-row or bernoulli, got '" + masking + "'");
        }, wholeWord, 1f);
        PretrainOptions options = PretrainOptions.defaults().withSteps(steps).withBatchSize(batchSize)
                .withAccumulation(accumulation).withLearningRate(lr).withWarmupSteps(warmup == null ? -1 : warmup)
                .withWeightDecay(weightDecay).withMaxGradNorm(maxGradNorm).withDiscWeight(discWeight)
                .withMasking(maskingOptions).withSeed(seed)
                .withCheckpointEvery(checkpointEvery != null ? checkpointEvery : Math.max(1, steps / 10))
                .withEvalEvery(evalEvery);

        RtdModel model = RtdModel.create(discConfig, genConfig, seed, new SeedStream(seed));
        if (!json) {
            pw.printf("corpus: %d documents -> %,d training sequences of <= %d tokens (%,d tokens), %,d held-out sequences%n",
                    docs.size(), trainSeqs.size(), maxLength, PretrainCorpus.tokenCount(trainSeqs), heldOutSeqs.size());
            pw.printf("discriminator: hidden %d, %d layers, %d heads, embedding %d (%,d parameters); generator: hidden %d, heads %d (%,d own parameters)%n",
                    discConfig.hiddenSize(), discConfig.numHiddenLayers(), discConfig.numAttentionHeads(), discConfig.embeddingSize(),
                    model.discriminator().parameterCount(), genConfig.hiddenSize(), genConfig.numAttentionHeads(),
                    model.parameterCount() - model.discriminator().parameterCount());
            pw.printf("%d steps x %d sequences x %d accumulation, lr %.1e, warmup %d, lambda %.0f -> %s%n", steps, batchSize,
                    accumulation, lr, options.effectiveWarmup(), discWeight, runDir);
            pw.flush();
        }
        ElectraPretrainer.Result result;
        try (Progress progress = new Progress(pw, json, ProgressDisplay.forThisProcess(spec.commandLine().getErr()))) {
            var pretrainer = new ElectraPretrainer(model, TokenMasker.forTokenizer(tokenizer, maskingOptions),
                    tokenizer.padId(), tokenizerFolder, options, runDir, progress);
            result = pretrainer.train(trainSeqs, heldOutSeqs, resume);
        }

        ObjectNode summary = summaryJson(result, options, discConfig, genConfig, trainSeqs.size(), heldOutSeqs.size());
        writeAtomically(runDir.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
        List<double[]> points = new ArrayList<>();
        for (PretrainStepRecord r : result.steps()) points.add(new double[]{r.step(), r.loss()});
        // The curve is the whole objective, MLM + lambda * discriminator loss; steps.csv holds each part per step.
        TrainingPlots.lossCurve(points, "MLM + " + options.discWeight() + " x discriminator loss", runDir.resolve("loss.png"));
        if (json) {
            pw.println(summary.toString());
        } else {
            if (result.heldOut() != null) pw.println(result.heldOut());
            pw.printf("discriminator: %s (fine-tune it: elektron train --model %s ...)%ngenerator:     %s%n"
                    + "run folder: %s (metrics.json, steps.csv, loss.png, last/ to --resume)%n", result.discriminator(),
                    result.discriminator(), result.generator(), runDir);
        }
        pw.flush();
        return ExitCode.OK;
    }

    private ElectraConfig discriminatorConfig(int vocabSize) throws IOException {
        int positions = Math.max(512, maxLength);
        return switch (config) {
            case "tiny" -> ElectraConfig.of(vocabSize, 64, 128, 2, 2, 512, positions, List.of());
            // ELECTRA-Small (Clark et al. 2020, table 6): embedding 128, hidden 256, 12 layers, 4 heads, FFN 1024.
            case "small" -> ElectraConfig.of(vocabSize, 128, 256, 12, 4, 1024, positions, List.of());
            default -> {
                Path file = Path.of(config);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--config must be tiny, small or a config.json file, got '" + config + "'");
                }
                ElectraConfig c = ElectraConfig.load(file);
                // A classifier's config.json may carry labels: a pre-training discriminator has none.
                ObjectNode raw = c.raw() == null ? null : c.raw().deepCopy();
                if (raw != null) for (String key : List.of("id2label", "label2id", "num_labels", "problem_type")) raw.remove(key);
                yield new ElectraConfig(c.vocabSize(), c.embeddingSize(), c.hiddenSize(), c.numHiddenLayers(),
                        c.numAttentionHeads(), c.intermediateSize(), c.hiddenAct(), c.hiddenDropoutProb(),
                        c.attentionProbsDropoutProb(), c.classifierDropout(), c.maxPositionEmbeddings(), c.typeVocabSize(),
                        c.initializerRange(), c.layerNormEps(), c.padTokenId(), List.of(), null, raw);
            }
        };
    }

    /** vocab.txt (given, bundled, or the resumed run's) and a tokenizer_config.json, copied into every saved model. */
    private void prepareTokenizerFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve("vocab.txt");
        if (resume != null) {
            Path saved = resume.resolve("discriminator");
            for (String f : List.of("vocab.txt", "tokenizer_config.json")) {
                Path src = saved.resolve(f);
                if (!Files.isRegularFile(src)) throw new IOException(src + ": not found; --resume needs the 'last' folder of a pretrain run");
                Files.copy(src, folder.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        if (vocab != null) {
            if (!Files.isRegularFile(vocab)) throw new java.nio.file.NoSuchFileException(vocab.toString());
            Files.copy(vocab, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            QuickstartCommand.copyResource(BUNDLED_VOCAB, target);
        }
        ObjectNode tc = JSON.createObjectNode();
        tc.put("tokenizer_class", "ElectraTokenizer");
        tc.put("do_lower_case", !cased);
        tc.put("model_max_length", maxLength);
        Files.write(folder.resolve("tokenizer_config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tc));
    }

    /** A seeded random share of the documents is held out (a corpus file is often sorted by source or date). */
    private void splitDocuments(List<String> docs, List<String> train, List<String> held) {
        int n = docs.size();
        int k = (int) Math.round(n * heldOut);
        if (heldOut > 0 && n >= 2) k = Math.max(1, Math.min(n - 1, k));
        boolean[] isHeld = new boolean[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_0F_4E1DL);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        for (int i = 0; i < k; i++) isHeld[order[i]] = true;
        for (int i = 0; i < n; i++) (isHeld[i] ? held : train).add(docs.get(i));
    }

    private static ObjectNode summaryJson(ElectraPretrainer.Result r, PretrainOptions o, ElectraConfig disc, ElectraConfig gen,
                                          int trainSequences, int heldOutSequences) {
        ObjectNode n = JSON.createObjectNode();
        n.put("steps", o.steps());
        n.put("seed", o.seed());
        n.put("batch_size", o.batchSize());
        n.put("accumulation", o.accumulation());
        n.put("learning_rate", o.learningRate());
        n.put("warmup_steps", o.effectiveWarmup());
        n.put("disc_weight", o.discWeight());
        n.put("mask_probability", o.masking().probability());
        n.put("masking", o.masking().mode().toString().toLowerCase());
        n.put("whole_word", o.masking().wholeWord());
        n.put("discriminator_hidden", disc.hiddenSize());
        n.put("discriminator_layers", disc.numHiddenLayers());
        n.put("generator_hidden", gen.hiddenSize());
        n.put("train_sequences", trainSequences);
        n.put("held_out_sequences", heldOutSequences);
        n.put("seconds", r.seconds());
        if (!r.steps().isEmpty()) {
            PretrainStepRecord last = r.steps().get(r.steps().size() - 1);
            n.put("final_mlm_loss", last.mlmLoss());
            n.put("final_disc_loss", last.discLoss());
            n.put("tokens_per_second", last.tokensPerSecond());
        }
        if (r.heldOut() != null) {
            RtdEvaluation e = r.heldOut();
            RtdCounts c = e.counts();
            ObjectNode h = n.putObject("held_out");
            h.put("disc_accuracy", c.accuracy());
            h.put("all_original_accuracy", c.allOriginalAccuracy());
            h.put("replaced_precision", c.precision());
            h.put("replaced_recall", c.recall());
            h.put("replaced_f1", c.f1());
            h.put("mlm_loss", e.mlmLoss());
            h.put("disc_loss", e.discLoss());
            h.put("replaced_share", e.replacedShare());
        }
        n.put("discriminator", r.discriminator().toString());
        n.put("generator", r.generator().toString());
        return n;
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * One progress bar over the steps (losses, detection F1, tokens/s), a line per held-out score and checkpoint.
     * Closing it ends a bar still being drawn, so that an error reported after a failed run starts on its own line.
     */
    private static final class Progress implements PretrainListener, AutoCloseable {
        private final PrintWriter out;
        private final boolean quiet;
        private final ProgressDisplay display;
        private ProgressBar bar;

        Progress(PrintWriter out, boolean quiet, ProgressDisplay display) {
            this.out = out;
            this.quiet = quiet;
            this.display = display;
        }

        @Override
        public void onStart(long firstStep, long totalSteps) {
            if (quiet) return;
            bar = display.start(new ProgressBarBuilder().setTaskName("pretrain").setInitialMax(totalSteps)
                    .startsFrom(firstStep, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).continuousUpdate());
        }

        @Override
        public void onStep(PretrainStepRecord r) {
            if (bar == null) return;
            bar.setExtraMessage(String.format("mlm %.3f disc %.4f acc %.3f F1 %.3f %,.0f tok/s", r.mlmLoss(), r.discLoss(),
                    r.discAccuracy(), r.replacedF1(), r.tokensPerSecond()));
            bar.stepTo(r.step());
            if (r.step() >= bar.getMax()) close();
        }

        @Override
        public void onEvaluation(long step, RtdEvaluation e) {
            message("step " + step + ": " + e);
        }

        @Override
        public void onMessage(String message) {
            message(message);
        }

        private void message(String message) {
            if (quiet) return;
            if (bar != null) display.clearBarLine();
            out.println(message);
            out.flush();
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
