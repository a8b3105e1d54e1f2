package io.elektron.examples;

import io.elektron.cli.report.TrainingPlots;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.model.ElectraModel;
import io.elektron.model.EncoderInput;
import io.elektron.model.hf.HfModels;
import io.elektron.model.inspect.AttentionStatistics;
import io.elektron.model.inspect.Inspection;
import io.elektron.model.inspect.Inspector;
import io.elektron.model.inspect.ModuleCapture;
import io.elektron.tokenizer.Encoding;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Example 4 — looking inside a real pretrained encoder (all-MiniLM-L6-v2 in ELECTRA form, 6 layers x 12 heads). For one
 * sentence: what [CLS] attends to in each layer, how spread out each head's attention is (entropy), how the hidden
 * states grow through the residual stream, and one head's full attention map — plus the hook API at work, capturing
 * {@code encoder.layer.3.attention} and {@code encoder.layer.3} without touching model code. Skips with a message when
 * the checkpoint is not there.
 *
 * <pre>{@code ./examples/run attention [--model DIR] [--text "..."] [--out DIR]}</pre>
 */
public final class AttentionInspection {
    static final String DEFAULT_TEXT = "The cat sat on the mat because it was warm.";

    /** What was shown; {@code skipped} when there was no checkpoint. */
    public record Result(boolean skipped, Inspection inspection, Path clsPng, Path headPng) {
    }

    public static void main(String[] args) throws IOException {
        Path model = defaultModel();
        String text = DEFAULT_TEXT;
        Path out = Path.of("runs/examples/attention");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[i + 1]);
                case "--text" -> text = args[i + 1];
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --model, --text, --out)");
            }
        }
        run(model, text, out, System.out);
    }

    /** ../shared/models/minilm-l6-electra beside the repository (or under -Delektron.shared). */
    static Path defaultModel() {
        return Path.of(System.getProperty("elektron.shared", "../shared"), "models", "minilm-l6-electra");
    }

    public static Result run(Path modelDir, String text, Path outDir, PrintStream out) throws IOException {
        if (!Files.isRegularFile(modelDir.resolve("config.json"))) {
            out.println("skipped: no checkpoint at " + modelDir.toAbsolutePath().normalize()
                    + " (pass --model DIR with an HF ELECTRA/BERT folder)");
            return new Result(true, null, null, null);
        }
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(modelDir);
        ElectraModel model = HfModels.encoder(modelDir, 0).model();
        try {
            Inspection r = Inspector.of(model, tokenizer).inspect(text, null, 64, 0);
            out.printf("%s: %d layers x %d heads%n", modelDir.getFileName(), r.layers().size(), r.heads());
            out.println("tokens: " + String.join(" ", r.tokens()));
            out.printf(Locale.ROOT, "%-5s %8s %14s  %s%n", "layer", "|h| mean", "entropy range", "[CLS] attends most to");
            out.printf(Locale.ROOT, "%-5s %8.2f%n", "emb", r.embeddingNorm());
            for (Inspection.Layer layer : r.layers()) {
                double lo = Double.MAX_VALUE;
                double hi = 0;
                for (double e : layer.entropy()) {
                    lo = Math.min(lo, e);
                    hi = Math.max(hi, e);
                }
                StringBuilder top = new StringBuilder();
                for (int i : AttentionStatistics.topIndices(layer.clsAttention(), 3)) {
                    top.append(String.format(Locale.ROOT, "%s %.2f  ", r.tokens().get(i), layer.clsAttention()[i]));
                }
                out.printf(Locale.ROOT, "%-5d %8.2f %6.2f - %5.2f  %s%n", layer.index(), layer.hiddenNorm(), lo, hi,
                        top.toString().stripTrailing());
            }

            captureWithHooks(model, tokenizer, text, out);

            String[] tokens = r.tokens().toArray(String[]::new);
            String[] layerNames = new String[r.layers().size()];
            float[][] cls = new float[layerNames.length][];
            for (int l = 0; l < layerNames.length; l++) {
                layerNames[l] = "layer " + l;
                cls[l] = r.layers().get(l).clsAttention();
            }
            Path clsPng = outDir.resolve("cls-attention.png");
            TrainingPlots.heatmap("[CLS] attention across layers (mean over heads)", cls, layerNames, tokens, clsPng);
            // The sharpest head of the first layer: its map usually shows a simple positional rule.
            Inspection.Layer first = r.layers().get(0);
            int head = 0;
            for (int h = 1; h < r.heads(); h++) if (first.entropy()[h] < first.entropy()[head]) head = h;
            Path headPng = outDir.resolve("layer0-head" + head + ".png");
            TrainingPlots.heatmap(String.format(Locale.ROOT, "Layer 0, head %d (entropy %.2f): query rows, key columns",
                    head, first.entropy()[head]), first.attention()[head], tokens, tokens, headPng);
            out.println("wrote " + clsPng + " (" + Files.size(clsPng) + " bytes) and " + headPng + " (" + Files.size(headPng) + " bytes)");
            return new Result(false, r, clsPng, headPng);
        } finally {
            model.close();
        }
    }

    /** The hook API: outputs of any named module, no model code changed. */
    static void captureWithHooks(ElectraModel model, WordPieceTokenizer tokenizer, String text, PrintStream out) {
        Encoding enc = tokenizer.encode(text);
        EncoderInput input = new EncoderInput(1, enc.length(), enc.inputIds(), enc.attentionMask(), enc.tokenTypeIds());
        model.eval();
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled();
             ModuleCapture capture = ModuleCapture.outputs(model, "encoder.layer.3.attention", "encoder.layer.3")) {
            model.forward(input);
            ModuleCapture.Captured attention = capture.output("encoder.layer.3.attention");
            ModuleCapture.Captured layer = capture.output("encoder.layer.3");
            out.printf(Locale.ROOT, "hooks: encoder.layer.3.attention -> %s norm %.2f, encoder.layer.3 -> norm %.2f%n",
                    java.util.Arrays.toString(attention.shape()), attention.norm(), layer.norm());
        }
    }
}
