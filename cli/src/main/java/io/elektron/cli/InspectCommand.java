package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.cli.report.HeatmapColours;
import io.elektron.cli.report.TrainingPlots;
import io.elektron.model.inspect.AttentionStatistics;
import io.elektron.model.inspect.AttributionHtml;
import io.elektron.model.inspect.Inspection;
import io.elektron.model.inspect.Inspector;
import io.elektron.model.inspect.TokenAttribution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * See inside the transformer for one text: tokens, per layer the attention entropy of each head, what [CLS] attends
 * to and the size of the hidden states; for a classifier the label probabilities and which tokens drove the top labels
 * (gradient x input on the word-embedding output). Heatmaps and an HTML page go to the output folder.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show attention, hidden-state norms and (for a classifier) label probabilities and token attributions for one text.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "HF model folder (encoder or classifier), hub id, or Maven model (maven:GROUP:ARTIFACT:VERSION, all-minilm-l6-v2).")
    String model;

    @Option(names = "--text", required = true, description = "The text to inspect.")
    String text;

    @Option(names = "--text-pair", description = "A second text (sentence-pair input: segment ids 1).")
    String textPair;

    @Option(names = "--out", description = "Folder for the PNGs, the HTML page and inspection.json. Default: runs/inspect-<time>.")
    Path out;

    @Option(names = "--json", description = "Print the inspection as one JSON object instead of tables.")
    boolean json;

    @Option(names = "--max-length", defaultValue = "128", description = "Truncate to this many tokens. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--top-labels", defaultValue = "3", description = "Labels to explain with token attributions. Default: ${DEFAULT-VALUE}.")
    int topLabels;

    @Option(names = "--top-tokens", defaultValue = "3", description = "Tokens listed per layer for [CLS] attention. Default: ${DEFAULT-VALUE}.")
    int topTokens;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (maxLength < 2) throw new IllegalArgumentException("--max-length must be >= 2, got " + maxLength);
        if (topLabels < 0 || topTokens < 1) throw new IllegalArgumentException("--top-labels must be >= 0 and --top-tokens >= 1");
        PrintWriter pw = spec.commandLine().getOut();
        Path folder = ModelSource.resolve(model);
        Path dir = out != null ? out : Path.of("runs", "inspect-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Inspection r;
        String note;
        try (Inspector inspector = Inspector.fromFolder(folder)) {
            note = inspector.note();
            r = inspector.inspect(text, textPair, maxLength, topLabels);
        }
        Files.createDirectories(dir);
        List<Path> files = writeFiles(r, dir);
        ObjectNode report = toJson(r, folder, note, files);
        Files.write(dir.resolve("inspection.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(report).getBytes(StandardCharsets.UTF_8));
        files.add(dir.resolve("inspection.json"));
        if (json) {
            ArrayNode written = (ArrayNode) report.get("files");
            written.add(dir.resolve("inspection.json").toString());
            pw.println(new ObjectMapper().writeValueAsString(report));
        } else {
            printTables(pw, r, folder, note, files);
        }
        return ExitCode.OK;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Files

    static List<Path> writeFiles(Inspection r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        int layers = r.layers().size();
        String[] tokens = r.tokens().toArray(String[]::new);
        String[] layerNames = new String[layers];
        for (int l = 0; l < layers; l++) layerNames[l] = "layer " + l;
        if (layers > 0) {
            Path grid = dir.resolve("attention-grid.png");
            attentionGrid(r, grid);
            files.add(grid);

            String[] headNames = new String[r.heads()];
            for (int h = 0; h < headNames.length; h++) headNames[h] = "head " + h;
            float[][] entropy = new float[layers][r.heads()];
            float[][] cls = new float[layers][];
            for (int l = 0; l < layers; l++) {
                for (int h = 0; h < r.heads(); h++) entropy[l][h] = (float) r.layers().get(l).entropy()[h];
                cls[l] = r.layers().get(l).clsAttention();
            }
            Path entropyPng = dir.resolve("attention-entropy.png");
            TrainingPlots.heatmap(String.format(Locale.ROOT, "Attention entropy per head (nats; uniform = %.2f)", Math.log(r.length())),
                    entropy, layerNames, headNames, entropyPng);
            files.add(entropyPng);
            Path clsPng = dir.resolve("cls-attention.png");
            TrainingPlots.heatmap("[CLS] attention across layers (mean over heads)", cls, layerNames, tokens, clsPng);
            files.add(clsPng);
        }
        if (!r.attributions().isEmpty()) {
            float[][] scores = new float[r.attributions().size()][];
            String[] rows = new String[scores.length];
            for (int i = 0; i < scores.length; i++) {
                TokenAttribution a = r.attributions().get(i);
                scores[i] = a.scores();
                rows[i] = String.format(Locale.ROOT, "%s (%.2f)", a.label(), a.probability());
            }
            Path png = dir.resolve("attributions.png");
            // Signed scores: the sign (raises or lowers the label) is the hue, zero the neutral middle.
            TrainingPlots.heatmap("Token attributions (gradient x input)", scores, rows, tokens, HeatmapColours.DIVERGING, png);
            files.add(png);
            Path html = dir.resolve("attributions.html");
            Files.writeString(html, AttributionHtml.render("Token attributions", r.tokens(), r.attributions()), StandardCharsets.UTF_8);
            files.add(html);
        }
        return files;
    }

    /**
     * Every attention map in one image: a tile per (layer, head), layers down, heads across, each tile [T x T] with
     * queries as rows; grey gaps separate the tiles.
     */
    static void attentionGrid(Inspection r, Path png) throws IOException {
        int layers = r.layers().size();
        int heads = r.heads();
        // Past about two million cells JFreeChart slows to a crawl: long texts show their first tokens only.
        int t = Math.min(r.length(), (int) Math.sqrt(2_000_000.0 / (layers * heads)) - 1);
        float[][] grid = new float[layers * (t + 1) - 1][heads * (t + 1) - 1];
        for (float[] row : grid) Arrays.fill(row, Float.NaN);
        for (int l = 0; l < layers; l++) {
            float[][][] maps = r.layers().get(l).attention();
            for (int h = 0; h < heads; h++) {
                for (int q = 0; q < t; q++) System.arraycopy(maps[h][q], 0, grid[l * (t + 1) + q], h * (t + 1), t);
            }
        }
        TileLabels rows = TileLabels.of(r.tokens(), t, layers, "layer ");
        TileLabels cols = TileLabels.of(r.tokens(), t, heads, "head ");
        String tokens = t == r.length() ? t + " tokens" : "first " + t + " of " + r.length() + " tokens";
        TrainingPlots.heatmap("Attention maps: layers down, heads across; in a tile query rows x key columns (" + tokens + ")",
                grid, rows.cells(), cols.cells(), rows.tiles(), cols.tiles(), HeatmapColours.SEQUENTIAL, png);
    }

    /**
     * The labels along one side of the attention grid: each row (or column) of a tile is a token; a tile's name (layer
     * or head) sits beside its middle row on the other side. The one-cell gaps between tiles have no label.
     *
     * @param cells {@code [tiles * (t + 1) - 1]} the token of each row (or column)
     * @param tiles the same length, the tile's name at its middle, blank elsewhere
     */
    record TileLabels(String[] cells, String[] tiles) {
        static TileLabels of(List<String> tokens, int t, int tileCount, String tileName) {
            String[] cells = new String[tileCount * (t + 1) - 1];
            String[] tiles = new String[cells.length];
            Arrays.fill(cells, "");
            Arrays.fill(tiles, "");
            for (int i = 0; i < tileCount; i++) {
                for (int q = 0; q < t; q++) cells[i * (t + 1) + q] = tokens.get(q);
                tiles[i * (t + 1) + t / 2] = tileName + i;
            }
            return new TileLabels(cells, tiles);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Text and JSON

    private void printTables(PrintWriter pw, Inspection r, Path folder, String note, List<Path> files) {
        pw.printf("model   %s (%s)%n", folder, r.isClassifier() ? "classifier, " + r.labels().size() + " labels" : "encoder");
        if (note != null) pw.println("note    " + note);
        pw.printf("tokens  %d: %s%n", r.length(), String.join(" ", r.tokens()));
        pw.printf("ids     %s%n", join(r.inputIds()));
        if (textPair != null) pw.printf("types   %s%n", join(r.tokenTypeIds()));
        pw.println();
        String entropyHeader = String.format(Locale.ROOT, "entropy per head (nats; uniform = %.2f)", Math.log(r.length()));
        String row = "%-6s %8s  %-" + Math.max(entropyHeader.length(), 6 * r.heads() - 1) + "s  %s%n";
        pw.printf(Locale.ROOT, row, "layer", "|h| mean", entropyHeader, "[CLS] attends most to");
        pw.printf(Locale.ROOT, row, "emb", String.format(Locale.ROOT, "%8.2f", r.embeddingNorm()), "", "");
        for (Inspection.Layer layer : r.layers()) {
            StringBuilder entropy = new StringBuilder();
            for (double e : layer.entropy()) entropy.append(String.format(Locale.ROOT, "%5.2f ", e));
            StringBuilder top = new StringBuilder();
            for (int i : AttentionStatistics.topIndices(layer.clsAttention(), topTokens)) {
                top.append(String.format(Locale.ROOT, "%s %.2f  ", r.tokens().get(i), layer.clsAttention()[i]));
            }
            pw.printf(Locale.ROOT, row, layer.index(), String.format(Locale.ROOT, "%8.2f", layer.hiddenNorm()),
                    entropy.toString().stripTrailing(), top.toString().stripTrailing());
        }
        if (r.isClassifier()) {
            int[] order = r.labelsByProbability();
            int shown = Math.min(10, order.length);
            pw.println();
            pw.printf("labels (sigmoid probability, top %d of %d)%n", shown, order.length);
            for (int i = 0; i < shown; i++) pw.printf(Locale.ROOT, "  %-16s %.3f%n", r.labels().get(order[i]), r.probabilities()[order[i]]);
            if (!r.attributions().isEmpty()) {
                pw.println();
                pw.println("token attributions (gradient x input on the word embeddings; + raises the label)");
                for (TokenAttribution a : r.attributions()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i : AttentionStatistics.topIndices(absolute(a.scores()), Math.min(5, r.length()))) {
                        sb.append(String.format(Locale.ROOT, "%s %+.3f  ", r.tokens().get(i), a.scores()[i]));
                    }
                    pw.printf(Locale.ROOT, "  %-16s %s%n", a.label(), sb.toString().stripTrailing());
                }
            }
        }
        pw.println();
        pw.println("wrote");
        for (Path f : files) pw.println("  " + f);
    }

    private ObjectNode toJson(Inspection r, Path folder, String note, List<Path> files) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("model", folder.toString());
        n.put("kind", r.isClassifier() ? "classifier" : "encoder");
        if (note != null) n.put("note", note);
        n.put("text", text);
        if (textPair != null) n.put("text_pair", textPair);
        ArrayNode tokens = n.putArray("tokens");
        r.tokens().forEach(tokens::add);
        ArrayNode ids = n.putArray("input_ids");
        for (int id : r.inputIds()) ids.add(id);
        ArrayNode types = n.putArray("token_type_ids");
        for (int id : r.tokenTypeIds()) types.add(id);
        n.put("heads", r.heads());
        n.put("embedding_norm", r.embeddingNorm());
        ArrayNode layers = n.putArray("layers");
        for (Inspection.Layer layer : r.layers()) {
            ObjectNode l = layers.addObject();
            l.put("layer", layer.index());
            l.put("hidden_norm", layer.hiddenNorm());
            ArrayNode e = l.putArray("entropy_per_head");
            for (double v : layer.entropy()) e.add(v);
            ArrayNode cls = l.putArray("cls_attention");
            for (float v : layer.clsAttention()) cls.add(v);
            ArrayNode top = l.putArray("cls_top_tokens");
            for (int i : AttentionStatistics.topIndices(layer.clsAttention(), topTokens)) {
                top.addObject().put("position", i).put("token", r.tokens().get(i)).put("weight", layer.clsAttention()[i]);
            }
            ArrayNode norms = l.putArray("token_norms");
            for (float v : layer.tokenNorms()) norms.add(v);
        }
        if (r.isClassifier()) {
            ObjectNode probs = n.putObject("probabilities");
            for (int i = 0; i < r.labels().size(); i++) probs.put(r.labels().get(i), r.probabilities()[i]);
            ArrayNode attributions = n.putArray("attributions");
            for (TokenAttribution a : r.attributions()) {
                ObjectNode o = attributions.addObject();
                o.put("label", a.label());
                o.put("probability", a.probability());
                ArrayNode s = o.putArray("scores");
                for (float v : a.scores()) s.add(v);
            }
        }
        ArrayNode written = n.putArray("files");
        for (Path f : files) written.add(f.toString());
        return n;
    }

    private static float[] absolute(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.abs(v[i]);
        return out;
    }

    private static String join(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) sb.append(sb.length() == 0 ? "" : " ").append(v);
        return sb.toString();
    }
}
