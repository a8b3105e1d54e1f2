package io.elektron.bench;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.Autograd;
import io.elektron.core.nn.Dropout;
import io.elektron.core.nn.Embedding;
import io.elektron.core.nn.LayerNorm;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.ops.AttentionProducts;
import io.elektron.core.ops.MatMul;
import io.elektron.core.ops.ShapeOps;
import io.elektron.core.ops.Softmax;
import io.elektron.core.optim.AdamW;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a training step's time goes, op by op, without touching the core: the model's forward is re-composed here from
 * the same public ops on the model's own modules (in the same order, so dropout draws the same masks and the logits are
 * bit-identical: {@code TrainingProfileTest} checks it), every op's output is labelled, and the backward walk is
 * Autograd's reverse topological walk with a clock around each node's closure.
 *
 * <p>If the model's forward changes (a fused op, a new layer), this copy must follow; the test fails until it does.
 */
public final class TrainingProfile {
    private final ElectraSteps steps;
    private final ElectraForSequenceClassification model;
    private final ElectraConfig config;
    private final AdamW optimizer;
    private final Map<String, Module> modules;
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private final Map<Tensor, String> producer = new IdentityHashMap<>();
    private final Map<Tensor, Double> backwardFlops = new IdentityHashMap<>();
    private long stepCount;
    private long stepNanos;

    private static final class Section {
        long forwardNanos;
        long backwardNanos;
        long calls;
        double flops;
    }

    public TrainingProfile(ElectraSteps steps) {
        this.steps = steps;
        this.model = steps.model();
        this.config = model.config();
        this.optimizer = steps.optimizer();
        this.modules = model.namedModules();
    }

    /** One instrumented training step: forward, BCE, backward, AdamW, zero grads, scope release. */
    public double step() {
        model.train(true);
        long start = System.nanoTime();
        double loss;
        TensorScope scope = TensorScope.open();
        try {
            Tensor logits = forward(steps.input());
            Tensor l = forward("loss: BCE-with-logits", 0, 0, () -> steps.loss(logits));
            loss = l.item();
            backward(l);
            long t0 = System.nanoTime();
            optimizer.step();
            long t1 = System.nanoTime();
            optimizer.zeroGrad();
            long t2 = System.nanoTime();
            add("optimizer: AdamW step", t1 - t0, 0);
            add("optimizer: zero grads", t2 - t1, 0);
        } finally {
            long t0 = System.nanoTime();
            scope.close();
            add("step: release scope (free native memory)", System.nanoTime() - t0, 0);
            producer.clear();
            backwardFlops.clear();
        }
        stepNanos += System.nanoTime() - start;
        stepCount++;
        return loss;
    }

    /** Forgets what was measured (after warm-up steps). */
    public void reset() {
        sections.clear();
        stepCount = 0;
        stepNanos = 0;
    }

    /** Mean milliseconds per instrumented step. */
    public double stepMs() {
        return stepCount == 0 ? Double.NaN : stepNanos / 1e6 / stepCount;
    }

    /** Per-section times per step, largest first, plus a line for what no section covers. */
    public List<ProfileRow> rows() {
        List<ProfileRow> out = new ArrayList<>();
        double step = stepMs();
        double covered = 0;
        for (var e : sections.entrySet()) {
            Section s = e.getValue();
            double fwd = s.forwardNanos / 1e6 / stepCount;
            double bwd = s.backwardNanos / 1e6 / stepCount;
            covered += fwd + bwd;
            double gflops = s.flops > 0 ? s.flops / ((s.forwardNanos + s.backwardNanos) / 1e9) / 1e9 : Double.NaN;
            out.add(new ProfileRow(e.getKey(), (int) (s.calls / stepCount), fwd, bwd, 100 * (fwd + bwd) / step, gflops));
        }
        out.add(new ProfileRow("(not covered: Java glue, backward bookkeeping)", 0, step - covered, 0,
                100 * (step - covered) / step, Double.NaN));
        out.sort((a, b) -> Double.compare(b.totalMs(), a.totalMs()));
        return out;
    }

    // ======================================================================== forward, as ElectraForSequenceClassification

    /** ElectraForSequenceClassification.forward, op by op: logits [B, labels]. */
    public Tensor forward(EncoderInput in) {
        int b = in.batch();
        int t = in.length();
        int e = config.embeddingSize();
        int h = config.hiddenSize();
        int inter = config.intermediateSize();
        int heads = config.numAttentionHeads();
        int d = config.headSize();
        float scale = (float) (1.0 / Math.sqrt(d));
        long rows = (long) b * t;

        // ElectraModel: additive mask, embeddings, embeddings_project
        Tensor mask = forward("embeddings: additive mask", 0, 0, () -> Tensor.of(in.additiveMask(), b, t));
        Embedding word = module("electra.embeddings.word_embeddings");
        Embedding position = module("electra.embeddings.position_embeddings");
        Embedding tokenType = module("electra.embeddings.token_type_embeddings");
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) positions[i] = i;
        String gather = "embeddings: gather word, position, token type";
        Tensor words = forward(gather, 0, 0, () -> word.forward(in.inputIds(), b, t));
        Tensor pos = forward(gather, 0, 0, () -> position.forward(positions, t));
        Tensor types = forward(gather, 0, 0, () -> tokenType.forward(in.tokenTypeIds(), b, t));
        Tensor sum1 = forward("embeddings: add (broadcast)", 0, 0, () -> words.add(types));
        Tensor sum = forward("embeddings: add (broadcast)", 0, 0, () -> sum1.add(pos));
        LayerNorm embNorm = module("electra.embeddings.LayerNorm");
        Tensor normed = forward("embeddings: LayerNorm", 0, 0, () -> embNorm.forward(sum));
        Dropout embDropout = module("electra.embeddings.dropout");
        Tensor emb = forward("embeddings: dropout", 0, 0, () -> embDropout.forward(normed));
        Tensor x = emb;
        if (config.hasEmbeddingsProjection()) {
            Linear project = module("electra.embeddings_project");
            x = linear("embeddings_project: linear", project, emb, rows);
        }

        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "electra.encoder.layer." + i + ".";
            Tensor in0 = x;
            // SelfAttention
            Tensor q = linear("attention: Q, K, V linear", module(p + "attention.self.query"), in0, rows);
            Tensor k = linear("attention: Q, K, V linear", module(p + "attention.self.key"), in0, rows);
            Tensor v = linear("attention: Q, K, V linear", module(p + "attention.self.value"), in0, rows);
            double attnFlops = 2.0 * b * heads * t * t * d;
            Tensor scores = forward("attention: scores QK^T (batched GEMM)", attnFlops, 2 * attnFlops,
                    () -> AttentionProducts.scores(q, k, heads));
            Tensor probs = forward("attention: softmax(scale * x + mask)", 0, 0,
                    () -> Softmax.softmax(scores, mask, scale));
            Dropout attnDropout = module(p + "attention.self.dropout");
            Tensor dropped = forward("attention: dropout on probabilities", 0, 0, () -> attnDropout.forward(probs));
            Tensor context = forward("attention: context PV (batched GEMM)", attnFlops, 2 * attnFlops,
                    () -> AttentionProducts.context(dropped, v, heads));
            // attention.output (ResidualOutput)
            Tensor attnOut = residualOutput("attention.output", p + "attention.output.", context, in0, rows);
            // intermediate + output
            Linear intermediate = module(p + "intermediate.dense");
            Tensor ff = linear("intermediate: dense linear", intermediate, attnOut, rows);
            Tensor act = forward("intermediate: GELU", 0, 0, ff::gelu);
            x = residualOutput("output", p + "output.", act, attnOut, rows);
        }

        // ClassificationHead
        Tensor last = x;
        Tensor sliced = forward("head: first token (slice + reshape)", 0, 0, () -> ShapeOps.slice(last, 1, 0, 1));
        Tensor first = forward("head: first token (slice + reshape)", 0, 0, () -> sliced.reshape(b, h));
        Dropout headDropout = module("classifier.dropout");
        Tensor d1 = forward("head: dropout", 0, 0, () -> headDropout.forward(first));
        Tensor dense = linear("head: dense + out_proj linear", module("classifier.dense"), d1, b);
        Tensor g = forward("head: GELU", 0, 0, dense::gelu);
        Tensor d2 = forward("head: dropout", 0, 0, () -> headDropout.forward(g));
        return linear("head: dense + out_proj linear", module("classifier.out_proj"), d2, b);
    }

    /** dense -> dropout -> LayerNorm(. + residual), as ResidualOutput. */
    private Tensor residualOutput(String name, String prefix, Tensor x, Tensor residual, long rows) {
        Tensor dense = linear(name + ": dense linear", module(prefix + "dense"), x, rows);
        Dropout dropout = module(prefix + "dropout");
        Tensor dropped = forward(name + ": dropout", 0, 0, () -> dropout.forward(dense));
        Tensor sum = forward(name + ": residual add", 0, 0, () -> dropped.add(residual));
        LayerNorm norm = module(prefix + "LayerNorm");
        return forward(name + ": LayerNorm", 0, 0, () -> norm.forward(sum));
    }

    private Tensor linear(String section, Linear layer, Tensor x, long rows) {
        double flops = 2.0 * rows * layer.inFeatures() * layer.outFeatures();
        double backward = (x.requiresGrad() ? 2 : 1) * flops;
        return forward(section, flops, backward, () -> MatMul.linear(x, layer.weight(), layer.bias()));
    }

    @SuppressWarnings("unchecked")
    private <M extends Module> M module(String name) {
        Module m = modules.get(name);
        if (m == null) throw new IllegalStateException("the model has no module '" + name + "': TrainingProfile must follow the model's structure");
        return (M) m;
    }

    private Tensor forward(String section, double flops, double bwdFlops, Supplier<Tensor> op) {
        long t0 = System.nanoTime();
        Tensor out = op.get();
        long dt = System.nanoTime() - t0;
        Section s = sections.computeIfAbsent(section, k -> new Section());
        s.forwardNanos += dt;
        s.calls++;
        s.flops += flops;
        producer.put(out, section);
        if (bwdFlops > 0) backwardFlops.put(out, bwdFlops);
        return out;
    }

    private void add(String section, long nanos, double flops) {
        Section s = sections.computeIfAbsent(section, k -> new Section());
        s.forwardNanos += nanos;
        s.calls++;
        s.flops += flops;
    }

    // ======================================================================== backward

    /** Autograd's own walk, with each node's time booked to the section that produced its output. */
    private void backward(Tensor loss) {
        Autograd.backward(loss, Tensor.full(1f, loss.shape()), (output, node, nanos) -> {
            String label = producer.getOrDefault(output, "(unlabelled op: " + node.op() + ")");
            Section s = sections.computeIfAbsent(label, k -> new Section());
            s.backwardNanos += nanos;
            s.flops += backwardFlops.getOrDefault(output, 0.0);
        });
    }
}
