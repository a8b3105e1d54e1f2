package io.elektron.bench.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.bench.ElectraGeometry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JMH JSON result file ({@code -rf json -rff FILE}) and prints "Elektron matmul / raw sgemm" per shape: the
 * fraction of the raw OpenBLAS rate that {@link GemmBench#elektronGemm} (the Backend call), {@link LinearBench} (the
 * whole Linear op) and {@link BatchedGemmBench} (the attention products) reach, with GFLOP/s. The target is
 * 90% or more. Other benchmarks in the file are listed as they are.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.elektron.bench.kernels.GemmRatioReport jmh.json</pre>
 */
public final class GemmRatioReport {
    private GemmRatioReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GemmRatioReport JMH_RESULT.json");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        Map<String, Double> scores = new LinkedHashMap<>(); // "Class.method|params" -> ms/op
        for (JsonNode r : results) {
            String bench = r.get("benchmark").asText();
            String name = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            // Parameters in name order, whatever order JMH wrote them in.
            Map<String, String> sorted = new TreeMap<>();
            r.path("params").fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
            StringBuilder params = new StringBuilder();
            sorted.forEach((k, v) -> params.append(params.length() == 0 ? "" : ",").append(k).append('=').append(v));
            double score = r.get("primaryMetric").get("score").asDouble();
            String unit = r.get("primaryMetric").get("scoreUnit").asText();
            scores.put(name + "|" + params, toMillis(score, unit));
        }

        System.out.println("GEMM at the model's Linear shapes: Elektron / raw cblas_sgemm (fraction of the raw rate; target >= 90%)");
        System.out.printf("%-16s %-11s %10s %10s %8s %12s %8s%n", "shape", "layout", "raw GF/s", "Backend", "ratio",
                "Linear op", "ratio");
        for (LinearShape s : LinearShape.values()) {
            for (GemmLayout l : GemmLayout.values()) {
                String key = "layout=" + l + ",shape=" + s;
                Double raw = scores.get("GemmBench.rawSgemm|" + key);
                if (raw == null) continue;
                Double ours = scores.get("GemmBench.elektronGemm|" + key);
                Double op = l == GemmLayout.FORWARD_NT ? scores.get("LinearBench.linearForward|shape=" + s) : null;
                System.out.printf("%-16s %-11s %10.1f %10s %8s %12s %8s%n", s, l, gflops(s.flops(), raw),
                        ours == null ? "" : String.format("%.1f", gflops(s.flops(), ours)), ratio(raw, ours),
                        op == null ? "" : String.format("%.1f", gflops(s.flops(), op)), ratio(raw, op));
            }
        }

        System.out.println();
        System.out.println("Attention products (batch 16 x heads): Elektron / raw loop of cblas_sgemm");
        System.out.printf("%-8s %-8s %10s %14s %8s %12s %8s%n", "size", "product", "raw GF/s", "strided GF/s", "ratio",
                "op GF/s", "ratio");
        for (ElectraGeometry g : ElectraGeometry.values()) {
            for (BatchedGemmBench.Product p : BatchedGemmBench.Product.values()) {
                String key = "geometry=" + g + ",product=" + p;
                Double raw = scores.get("BatchedGemmBench.rawSgemm|" + key);
                if (raw == null) continue;
                Double strided = scores.get("BatchedGemmBench.elektronStridedBatched|" + key);
                Double op = scores.get("BatchedGemmBench.elektronOp|" + key);
                double flops = 2.0 * ElectraGeometry.BATCH * g.heads * ElectraGeometry.SEQ * ElectraGeometry.SEQ * g.headSize();
                System.out.printf("%-8s %-8s %10.1f %14s %8s %12s %8s%n", g, p, gflops(flops, raw),
                        strided == null ? "" : String.format("%.1f", gflops(flops, strided)), ratio(raw, strided),
                        op == null ? "" : String.format("%.1f", gflops(flops, op)), ratio(raw, op));
            }
        }

        System.out.println();
        System.out.println("All results (ms/op):");
        scores.forEach((k, v) -> System.out.printf("  %-70s %10.3f%n", k.replace("|", "  "), v));
    }

    private static String ratio(double raw, Double ours) {
        return ours == null ? "" : String.format("%.0f%%", 100 * raw / ours);
    }

    private static double gflops(double flops, double ms) {
        return flops / (ms / 1e3) / 1e9;
    }

    private static double toMillis(double score, String unit) {
        return switch (unit) {
            case "ms/op" -> score;
            case "us/op" -> score / 1e3;
            case "ns/op" -> score / 1e6;
            case "s/op" -> score * 1e3;
            default -> throw new IllegalArgumentException("GemmRatioReport needs AverageTime results, got " + unit);
        };
    }
}
