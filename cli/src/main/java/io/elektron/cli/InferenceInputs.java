package io.elektron.cli;

import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.data.ReadOptions;
import io.elektron.model.train.ExampleEncoder;
import io.elektron.model.train.TokenizedExample;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Reads any supported input file for predict/encode and tokenizes it (labels, if present, are ignored). */
final class InferenceInputs {
    private InferenceInputs() {
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
