package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.Example;
import io.elektron.tokenizer.EncodeOptions;
import io.elektron.tokenizer.Encoding;
import io.elektron.tokenizer.PaddingStrategy;
import io.elektron.tokenizer.TokenizerOptions;
import io.elektron.tokenizer.TruncationStrategy;
import io.elektron.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "WordPiece-tokenize texts exactly as HuggingFace's BERT/ELECTRA tokenizers do.")
final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--model", description = "Model folder or hub id (vocab.txt or tokenizer.json inside).")
        String model;

        @Option(names = "--vocab", description = "A vocab.txt file.")
        Path vocab;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--input", required = true, description = "Texts: .txt, .jsonl, .tsv, .csv.")
    Path input;

    @Option(names = "--no-lowercase", description = "Keep case (with --vocab; a model folder's config decides otherwise).")
    boolean noLowercase;

    @Option(names = "--max-length", description = "Truncate to this many tokens (default: no truncation).")
    Integer maxLength;

    @Option(names = "--json", description = "One JSON line per input: input_ids, token_type_ids, attention_mask.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        WordPieceTokenizer tokenizer;
        if (source.vocab != null) {
            tokenizer = WordPieceTokenizer.fromVocab(source.vocab, noLowercase ? TokenizerOptions.cased() : TokenizerOptions.uncased());
        } else {
            tokenizer = WordPieceTokenizer.fromFolder(ModelSource.resolve(source.model));
        }
        if (maxLength != null && maxLength < 2) throw new IllegalArgumentException("--max-length must be >= 2, got " + maxLength);
        EncodeOptions options = maxLength == null ? EncodeOptions.defaults()
                : new EncodeOptions(true, TruncationStrategy.LONGEST_FIRST, maxLength, PaddingStrategy.DO_NOT_PAD);
        Dataset d = InferenceInputs.read(input, null, false, spec.commandLine().getErr());
        ObjectMapper mapper = new ObjectMapper();
        for (Example e : d.examples()) {
            Encoding enc = e.textPair() == null ? tokenizer.encode(e.text(), options) : tokenizer.encodePair(e.text(), e.textPair(), options);
            if (json) {
                ObjectNode n = mapper.createObjectNode();
                ArrayNode ids = n.putArray("input_ids");
                for (int v : enc.inputIds()) ids.add(v);
                ArrayNode types = n.putArray("token_type_ids");
                for (int v : enc.tokenTypeIds()) types.add(v);
                ArrayNode mask = n.putArray("attention_mask");
                for (int v : enc.attentionMask()) mask.add(v);
                out.println(mapper.writeValueAsString(n));
            } else {
                out.println(String.join(" ", enc.tokens()));
            }
        }
        return ExitCode.OK;
    }
}
