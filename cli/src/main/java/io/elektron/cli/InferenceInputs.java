package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.data.ReadOptions;
import io.elektron.model.train.ExampleEncoder;
import io.elektron.model.train.TokenizedExample;
import io.elektron.model.train.TrainingArgs;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/** Reads any supported input file for predict/encode and tokenizes it (labels, if present, are ignored). */
final class InferenceInputs {
    /** The input length of eval and predict for a model that records none: train's default. */
    static final int UNRECORDED_MAX_LENGTH = 128;

    private InferenceInputs() {
    }

    /**
     * The length inputs are cut to: {@code --max-length} when given, else the length the model was fine-tuned with,
     * else {@code unrecorded}; never more than the model's {@code positions} (max_position_embeddings).
     *
     * <p>The fine-tuning length comes from the checkpoint's training_args.json; a {@code best/} or {@code last/} saved
     * before checkpoints carried that file has it in the run folder's run.json.
     */
    static int maxLength(Integer option, Path modelFolder, int unrecorded, int positions) throws IOException {
        if (option != null) {
            if (option < 2) throw new IllegalArgumentException("--max-length must be >= 2 ([CLS] and [SEP]), got " + option);
            return Math.min(option, positions);
        }
        OptionalInt trained = TrainingArgs.maxLength(modelFolder);
        if (trained.isEmpty()) trained = runRecordMaxLength(modelFolder);
        return Math.min(trained.orElse(unrecorded), positions);
    }

    private static OptionalInt runRecordMaxLength(Path modelFolder) throws IOException {
        Path name = modelFolder.toAbsolutePath().normalize().getFileName();
        if (name == null || !(name.toString().equals("best") || name.toString().equals("last"))) return OptionalInt.empty();
        Path record = modelFolder.toAbsolutePath().normalize().resolveSibling(RunRecord.FILE);
        if (!Files.isRegularFile(record)) return OptionalInt.empty();
        JsonNode length;
        try {
            length = new ObjectMapper().readTree(record.toFile()).path("options").path("maxLength");
        } catch (IOException e) {
            throw new IOException(record + ": not readable as JSON (" + e.getMessage() + ")", e);
        }
        return length.isIntegralNumber() && length.asInt() >= 2 ? OptionalInt.of(length.asInt()) : OptionalInt.empty();
    }

    /**
     * Reads the inputs; lines skipped under {@code --skip-bad-lines} are reported on standard error (file and line),
     * because every output row after one of them belongs to a later input line than its position suggests.
     */
    static Dataset read(Path file, List<String> labelNames, boolean skipBadLines, PrintWriter warnings) throws IOException {
        Dataset d = DatasetReader.read(file, labelNames, ReadOptions.DEFAULTS.withSkipBadLines(skipBadLines));
        for (String w : d.summary().warnings()) warnings.println("warning: " + w);
        warnings.flush();
        return d;
    }

    static List<TokenizedExample> encode(WordPieceTokenizer tokenizer, Dataset data, int maxLength) {
        return new ExampleEncoder(tokenizer, maxLength).encode(data.examples());
    }
}
