package io.elektron.cli;

import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.data.ReadOptions;
import io.elektron.model.train.ExampleEncoder;
import io.elektron.model.train.TokenizedExample;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads any supported input file for predict/encode and tokenizes it (labels, if present, are ignored). */
final class InferenceInputs {
    private InferenceInputs() {
    }

    static Dataset read(Path file, List<String> labelNames, boolean skipBadLines) throws IOException {
        return DatasetReader.read(file, labelNames, ReadOptions.DEFAULTS.withSkipBadLines(skipBadLines));
    }

    static List<TokenizedExample> encode(WordPieceTokenizer tokenizer, Dataset data, int maxLength) {
        return new ExampleEncoder(tokenizer, maxLength).encode(data.examples());
    }
}
