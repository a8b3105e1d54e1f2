package io.elektron.cli;

import io.elektron.model.onnx.OnnxImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Converts models from other formats into HF folders every command loads. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Convert a model from another format into an HF folder.",
        subcommands = {ImportCommand.Onnx.class})
final class ImportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "onnx", mixinStandardHelpOptions = true,
            description = "Import a BERT-family ONNX export (BertModel / ElectraModel, e.g. all-MiniLM-L6-v2's model.onnx):"
                    + " config.json inferred from the graph, model.safetensors with HF names, the tokenizer.")
    static final class Onnx implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The exported model; its weights must be inside the file.")
        Path onnx;

        @Option(names = "--tokenizer", description = "The HF tokenizer.json that goes with the model (default: tokenizer.json beside MODEL.onnx, if any).")
        Path tokenizer;

        @Option(names = "--out", required = true, description = "Folder to create (new or empty).")
        Path out;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            common.apply();
            if (!Files.isRegularFile(onnx)) throw new java.nio.file.NoSuchFileException(onnx + " (the ONNX model to import)");
            Path tok = tokenizer;
            if (tok == null) {
                Path beside = onnx.toAbsolutePath().resolveSibling("tokenizer.json");
                if (Files.isRegularFile(beside)) tok = beside;
            } else if (!Files.isRegularFile(tok)) {
                throw new java.nio.file.NoSuchFileException(tok + " (--tokenizer)");
            }
            String summary = OnnxImport.toHfFolder(onnx, tok, out);
            var pw = spec.commandLine().getOut();
            pw.println("imported " + onnx + ": " + summary);
            pw.println("wrote " + out + " (config.json, model.safetensors" + (tok == null ? "" : ", tokenizer.json") + ")");
            if (tok == null) {
                pw.println("note: no tokenizer given; add vocab.txt or tokenizer.json to " + out + " before training or predicting");
            }
            return ExitCode.OK;
        }
    }
}
