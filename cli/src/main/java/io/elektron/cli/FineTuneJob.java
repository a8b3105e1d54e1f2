package io.elektron.cli;

import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingListener;
import io.elektron.model.train.TrainingOptions;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One fine-tuning run: a pretrained HF folder (or a from-scratch configuration), its tokenizer, the data, the
 * options, a run folder, how often to save a mid-epoch checkpoint, and the run's record (run.json). Shared by train,
 * quickstart and experiment.
 */
record FineTuneJob(Path modelFolder, ElectraConfig scratchConfig, Path tokenizerFolder, Dataset train, Dataset dev,
                   Dataset test, TrainingOptions options, Path outDir, int checkpointSteps, RunRecord record) {

    Trainer.Result run(TrainingListener listener, PrintWriter out, Path resumeFrom) throws IOException {
        ElectraForSequenceClassification model;
        if (modelFolder != null) {
            var loaded = HfModels.sequenceClassifier(modelFolder, train.labelNames(), options.seed());
            if (listener != null) listener.onMessage("loaded " + modelFolder + ": " + loaded.report().summary());
            model = loaded.model();
        } else {
            ElectraConfig c = scratchConfig.withLabels(train.labelNames());
            model = new ElectraForSequenceClassification(c, new SplittableRandom(options.seed()), new SeedStream(options.seed()));
        }
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(tokenizerFolder);
        if (tokenizer.vocabSize() > model.config().vocabSize()) {
            throw new IllegalArgumentException(tokenizerFolder + ": vocabulary has " + tokenizer.vocabSize()
                    + " tokens but the model's vocab_size is " + model.config().vocabSize());
        }
        if (resumeFrom != null) record.requireSameRunAs(outDir);
        record.started(outDir, resumeFrom != null);
        Trainer trainer = new Trainer(model, tokenizer, tokenizerFolder, options, outDir, listener).checkpointEvery(checkpointSteps);
        try (InterruptHandler ctrlC = InterruptHandler.install(() -> {
            System.err.println();
            System.err.println("interrupt: finishing the current step and saving a resumable checkpoint (Ctrl-C again to abort)");
            trainer.requestStop();
        })) {
            Trainer.Result result = trainer.fit(train, dev, test, resumeFrom);
            record.finished(outDir);
            return result;
        } finally {
            model.close();
        }
    }
}
