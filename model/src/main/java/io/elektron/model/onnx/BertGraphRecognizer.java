package io.elektron.model.onnx;

import io.elektron.model.onnx.proto.NodeProto;
import io.elektron.model.onnx.proto.TensorProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a BERT-family encoder in an ONNX graph (a PyTorch export of BertModel / ElectraModel with embedding size ==
 * hidden size) by following its dataflow, and names every weight by the role it plays, never by its order or its
 * name in the file:
 *
 * <ul>
 *   <li>embeddings: the Gathers that look rows up in float matrices; the one indexed by a graph input with the most
 *       rows is the word embedding, the other graph-input-indexed one the token types, the one indexed by a computed
 *       value (a slice of position ids) the positions; their sum must enter a LayerNorm;</li>
 *   <li>a Linear: a MatMul by a constant [in, out] matrix followed by an Add of a constant [out] bias;</li>
 *   <li>a LayerNorm: one LayerNormalization node, or its decomposition ReduceMean, Sub, Pow, ReduceMean, Add(eps),
 *       Sqrt, Div, Mul(gamma), Add(beta);</li>
 *   <li>each layer, from the hidden state h entering it: three Linears read h; the one whose output reaches the
 *       attention-score MatMul (the MatMul whose result goes into the Softmax) as its first operand is the query, as
 *       its second the key; the one that reaches the MatMul reading the Softmax's output is the value. The Linear after
 *       that MatMul is the attention output; its sum with h enters a LayerNorm. Then one Linear to the intermediate
 *       size, an exact (erf) GELU, one Linear back, plus the residual, and a LayerNorm: the next h.</li>
 * </ul>
 *
 * Anything else (a fused attention op, a tanh GELU, a Linear without bias, inconsistent shapes) is an
 * {@link OnnxFormatException} naming the node.
 */
final class BertGraphRecognizer {
    /** Ops that only move data around between a Linear and the attention MatMuls. */
    private static final Set<String> LAYOUT_OPS = Set.of("Reshape", "Transpose", "Div", "Mul", "Identity", "Cast");

    private final OnnxGraph graph;

    BertGraphRecognizer(OnnxGraph graph) {
        this.graph = graph;
    }

    private record Linear(NodeProto matMul, int in, int out, float[] weightOutIn, float[] bias, String output) {
    }

    private record Norm(String output, float[] gamma, float[] beta, float eps) {
    }

    RecognizedEncoder recognize() throws OnnxFormatException {
        Map<String, RecognizedEncoder.Weight> w = new LinkedHashMap<>();
        // ---- embeddings
        NodeProto word = null;
        NodeProto tokenType = null;
        NodeProto position = null;
        for (NodeProto n : graph.nodes()) {
            if (!n.getOpType().equals("Gather") || n.getInputCount() != 2) continue;
            TensorProto table = graph.constant(n.getInput(0));
            if (table == null || table.getDimsCount() != 2 || table.getDataType() != OnnxGraph.FLOAT) continue;
            if (graph.isGraphInput(n.getInput(1))) {
                if (word == null || rows(n) > rows(word)) {
                    if (word != null) tokenType = word;
                    word = n;
                } else {
                    tokenType = pickSmaller(tokenType, n);
                }
            } else {
                if (position != null) throw new OnnxFormatException("two position-embedding candidates: "
                        + OnnxGraph.describe(position) + " and " + OnnxGraph.describe(n));
                position = n;
            }
        }
        if (word == null) throw new OnnxFormatException("no word-embedding lookup: no Gather reads rows of a constant float matrix at a graph input (the token ids)");
        if (position == null) throw new OnnxFormatException("no position-embedding lookup: no Gather of a constant float matrix at computed positions");
        if (tokenType == null) throw new OnnxFormatException("no token-type-embedding lookup: only one Gather is indexed by a graph input");
        int hidden = (int) graph.constant(word.getInput(0)).getDims(1);
        for (NodeProto g : List.of(position, tokenType)) {
            if (graph.constant(g.getInput(0)).getDims(1) != hidden) {
                throw new OnnxFormatException(OnnxGraph.describe(g) + ": rows of " + graph.constant(g.getInput(0)).getDims(1)
                        + " values, the word embeddings have " + hidden);
            }
        }
        String summed = sumOf(word, tokenType, position);
        Norm embNorm = layerNorm(summed, hidden);
        put(w, "embeddings.word_embeddings.weight", graph.constant(word.getInput(0)));
        put(w, "embeddings.position_embeddings.weight", graph.constant(position.getInput(0)));
        put(w, "embeddings.token_type_embeddings.weight", graph.constant(tokenType.getInput(0)));
        putNorm(w, "embeddings.LayerNorm", embNorm);

        // ---- layers
        String h = embNorm.output();
        int heads = -1;
        int intermediate = -1;
        int layer = 0;
        while (true) {
            List<Linear> reading = linearsReading(h);
            if (reading.isEmpty()) break;
            if (reading.size() != 3) {
                throw new OnnxFormatException("layer " + layer + ": " + reading.size() + " Linears read the hidden state '" + h
                        + "', expected 3 (query, key, value)");
            }
            Linear query = null;
            Linear key = null;
            Linear value = null;
            NodeProto context = null;
            int layerHeads = -1;
            for (Linear l : reading) {
                requireShape(l, hidden, hidden, "query/key/value");
                NodeProto[] reached = new NodeProto[1];
                int operand = followToAttentionMatMul(l, reached);
                NodeProto m = reached[0];
                if (feedsSoftmax(m.getOutput(0))) {
                    if (operand == 0) query = unique(query, l, "query");
                    else key = unique(key, l, "key");
                    if (operand == 0) layerHeads = headsOf(l, hidden);
                } else if (producedBySoftmaxPath(m.getInput(0)) && operand == 1) {
                    value = unique(value, l, "value");
                    context = m;
                } else {
                    throw new OnnxFormatException(OnnxGraph.describe(l.matMul()) + " leads to " + OnnxGraph.describe(m)
                            + ", which is neither the attention-score MatMul nor the one reading the attention weights");
                }
            }
            if (query == null || key == null || value == null) {
                throw new OnnxFormatException("layer " + layer + ": could not tell query, key and value apart from the attention MatMuls");
            }
            if (heads < 0) heads = layerHeads;
            else if (heads != layerHeads) throw new OnnxFormatException("layer " + layer + " has " + layerHeads + " heads, layer 0 " + heads);
            Linear attentionOutput = linearAfter(context.getOutput(0), "attention output");
            requireShape(attentionOutput, hidden, hidden, "attention output");
            Norm attentionNorm = layerNorm(residual(attentionOutput, h), hidden);
            List<Linear> up = linearsReading(attentionNorm.output());
            if (up.size() != 1) {
                throw new OnnxFormatException("layer " + layer + ": " + up.size() + " Linears read the attention block's output, expected 1 (intermediate)");
            }
            Linear inter = up.get(0);
            if (intermediate < 0) intermediate = inter.out();
            requireShape(inter, hidden, intermediate, "intermediate");
            Linear down = linearAfterGelu(inter);
            requireShape(down, intermediate, hidden, "output");
            Norm outputNorm = layerNorm(residual(down, attentionNorm.output()), hidden);
            for (Norm n : List.of(attentionNorm, outputNorm)) {
                if (Math.abs(n.eps() - embNorm.eps()) > 1e-3 * embNorm.eps()) {
                    throw new OnnxFormatException("layer " + layer + ": LayerNorm eps " + n.eps() + " differs from the embeddings' " + embNorm.eps());
                }
            }
            String p = "encoder.layer." + layer + ".";
            putLinear(w, p + "attention.self.query", query);
            putLinear(w, p + "attention.self.key", key);
            putLinear(w, p + "attention.self.value", value);
            putLinear(w, p + "attention.output.dense", attentionOutput);
            putNorm(w, p + "attention.output.LayerNorm", attentionNorm);
            putLinear(w, p + "intermediate.dense", inter);
            putLinear(w, p + "output.dense", down);
            putNorm(w, p + "output.LayerNorm", outputNorm);
            h = outputNorm.output();
            layer++;
        }
        if (layer == 0) throw new OnnxFormatException("no encoder layer: no Linear reads the embeddings' LayerNorm output '" + h + "'");
        return new RecognizedEncoder(rows(word), hidden, layer, heads, intermediate, rows(position), rows(tokenType),
                embNorm.eps(), w);
    }

    // ======================================================================== embeddings

    private int rows(NodeProto gather) {
        return (int) graph.constant(gather.getInput(0)).getDims(0);
    }

    private NodeProto pickSmaller(NodeProto current, NodeProto candidate) throws OnnxFormatException {
        if (current != null) {
            throw new OnnxFormatException("more than two embedding lookups are indexed by graph inputs: "
                    + OnnxGraph.describe(current) + ", " + OnnxGraph.describe(candidate));
        }
        return candidate;
    }

    /** The value that holds word + token type + position embeddings (Adds in any order). */
    private String sumOf(NodeProto word, NodeProto tokenType, NodeProto position) throws OnnxFormatException {
        Set<String> parts = new HashSet<>(List.of(word.getOutput(0), tokenType.getOutput(0), position.getOutput(0)));
        Set<String> sums = new HashSet<>(parts);
        String current = word.getOutput(0);
        for (int adds = 0; adds < 2; adds++) {
            NodeProto add = only(current, "Add", "the embedding sum");
            String other = add.getInput(0).equals(current) ? add.getInput(1) : add.getInput(0);
            if (!sums.contains(other)) {
                throw new OnnxFormatException(OnnxGraph.describe(add) + " adds '" + other + "' to the embeddings, expected another embedding lookup");
            }
            sums.add(add.getOutput(0));
            parts.remove(other);
            current = add.getOutput(0);
        }
        return current;
    }

    // ======================================================================== building blocks

    /** The only consumer of {@code value} with op type {@code op}. */
    private NodeProto only(String value, String op, String what) throws OnnxFormatException {
        NodeProto found = null;
        for (NodeProto c : graph.consumers(value)) {
            if (!c.getOpType().equals(op)) continue;
            if (found != null) throw new OnnxFormatException(what + ": two " + op + " nodes read '" + value + "'");
            found = c;
        }
        if (found == null) {
            throw new OnnxFormatException(what + ": expected a " + op + " node reading '" + value + "', found "
                    + graph.consumers(value).stream().map(OnnxGraph::describe).toList());
        }
        return found;
    }

    /** A MatMul by a constant matrix plus its bias Add, or null when {@code m} is not a MatMul by a constant. */
    private Linear linear(NodeProto m) throws OnnxFormatException {
        if (!m.getOpType().equals("MatMul") || m.getInputCount() != 2) return null;
        TensorProto weight = graph.constant(m.getInput(1));
        if (weight == null) return null;
        if (weight.getDimsCount() != 2) {
            throw new OnnxFormatException(OnnxGraph.describe(m) + ": weight '" + weight.getName() + "' has shape "
                    + Arrays.toString(OnnxGraph.dims(weight)) + ", expected [in, out]");
        }
        int in = (int) weight.getDims(0);
        int out = (int) weight.getDims(1);
        List<NodeProto> next = graph.consumers(m.getOutput(0));
        if (next.size() != 1 || !next.get(0).getOpType().equals("Add")) {
            throw new OnnxFormatException(OnnxGraph.describe(m) + ": no bias Add after it (found "
                    + next.stream().map(OnnxGraph::describe).toList() + "); Linears without bias are not part of BERT");
        }
        NodeProto add = next.get(0);
        String biasName = add.getInput(0).equals(m.getOutput(0)) ? add.getInput(1) : add.getInput(0);
        TensorProto bias = graph.constant(biasName);
        if (bias == null || bias.getDimsCount() != 1 || bias.getDims(0) != out) {
            throw new OnnxFormatException(OnnxGraph.describe(add) + " after " + OnnxGraph.describe(m) + ": expected a constant bias of ["
                    + out + "], found " + (bias == null ? "the computed value '" + biasName + "'" : Arrays.toString(OnnxGraph.dims(bias))));
        }
        float[] w = OnnxGraph.floats(weight);
        float[] t = new float[w.length];
        // ONNX's MatMul weight is [in, out]; a HF Linear stores [out, in].
        for (int i = 0; i < in; i++) for (int o = 0; o < out; o++) t[o * in + i] = w[i * out + o];
        return new Linear(m, in, out, t, OnnxGraph.floats(bias), add.getOutput(0));
    }

    private List<Linear> linearsReading(String value) throws OnnxFormatException {
        List<Linear> out = new ArrayList<>();
        for (NodeProto c : graph.consumers(value)) {
            if (c.getOpType().equals("MatMul") && c.getInput(0).equals(value)) {
                Linear l = linear(c);
                if (l != null) out.add(l);
            }
        }
        return out;
    }

    /** The first Linear downstream of {@code value} through layout ops (Transpose, Reshape). */
    private Linear linearAfter(String value, String what) throws OnnxFormatException {
        String current = value;
        for (int hops = 0; hops < 8; hops++) {
            List<NodeProto> next = graph.consumers(current);
            for (NodeProto n : next) {
                Linear l = n.getOpType().equals("MatMul") ? linear(n) : null;
                if (l != null) return l;
            }
            NodeProto layout = next.stream().filter(n -> LAYOUT_OPS.contains(n.getOpType())).findFirst().orElse(null);
            if (layout == null) break;
            current = layout.getOutput(0);
        }
        throw new OnnxFormatException(what + ": no Linear follows '" + value + "'");
    }

    private void requireShape(Linear l, int in, int out, String what) throws OnnxFormatException {
        if (l.in() != in || l.out() != out) {
            throw new OnnxFormatException(OnnxGraph.describe(l.matMul()) + " (" + what + "): weight [" + l.in() + ", " + l.out()
                    + "], expected [" + in + ", " + out + "]");
        }
    }

    private static Linear unique(Linear current, Linear l, String role) throws OnnxFormatException {
        if (current != null) {
            throw new OnnxFormatException("two Linears take the " + role + " role: " + OnnxGraph.describe(current.matMul())
                    + " and " + OnnxGraph.describe(l.matMul()));
        }
        return l;
    }

    // ======================================================================== attention

    /** Follows a q/k/v Linear's output through layout ops to a MatMul of two computed values; returns the operand index. */
    private int followToAttentionMatMul(Linear l, NodeProto[] reached) throws OnnxFormatException {
        String current = l.output();
        for (int hops = 0; hops < 8; hops++) {
            List<NodeProto> next = graph.consumers(current);
            if (next.isEmpty()) break;
            for (NodeProto n : next) {
                if (n.getOpType().equals("MatMul") && graph.constant(n.getInput(1)) == null && graph.constant(n.getInput(0)) == null) {
                    reached[0] = n;
                    return n.getInput(0).equals(current) ? 0 : 1;
                }
            }
            // Shape/Gather chains read the value only to compute reshape targets: follow the data path.
            NodeProto layout = null;
            for (NodeProto n : next) {
                if (LAYOUT_OPS.contains(n.getOpType()) && n.getInput(0).equals(current)) {
                    layout = n;
                    break;
                }
            }
            if (layout == null) break;
            current = layout.getOutput(0);
        }
        throw new OnnxFormatException(OnnxGraph.describe(l.matMul()) + ": its output does not reach an attention MatMul"
                + " (a fused attention op, or an unexpected layout?)");
    }

    /** True when {@code value} reaches a Softmax through scaling, masking and layout ops. */
    private boolean feedsSoftmax(String value) {
        Deque<String> todo = new ArrayDeque<>(List.of(value));
        for (int steps = 0; steps < 16 && !todo.isEmpty(); steps++) {
            for (NodeProto n : graph.consumers(todo.poll())) {
                if (n.getOpType().equals("Softmax")) return true;
                if (Set.of("Div", "Mul", "Add", "Sub", "Where", "Cast", "Reshape", "Transpose").contains(n.getOpType())) {
                    todo.add(n.getOutput(0));
                }
            }
        }
        return false;
    }

    /** True when {@code value} comes from a Softmax through layout ops (dropout is gone in an inference export). */
    private boolean producedBySoftmaxPath(String value) {
        String current = value;
        for (int hops = 0; hops < 4; hops++) {
            NodeProto p = graph.producer(current);
            if (p == null) return false;
            if (p.getOpType().equals("Softmax")) return true;
            if (!LAYOUT_OPS.contains(p.getOpType()) && !p.getOpType().equals("Dropout")) return false;
            current = p.getInput(0);
        }
        return false;
    }

    /** Heads from the Reshape on the query path: its target shape is [batch, sequence, heads, head size]. */
    private int headsOf(Linear query, int hidden) throws OnnxFormatException {
        NodeProto reshape = only(query.output(), "Reshape", OnnxGraph.describe(query.matMul()) + " (query)");
        long[] target = reshapeTarget(reshape);
        if (target.length != 4 || target[2] <= 0 || target[3] <= 0 || target[2] * target[3] != hidden) {
            throw new OnnxFormatException(OnnxGraph.describe(reshape) + ": target shape " + Arrays.toString(target)
                    + " is not [batch, sequence, heads, head size] with heads x head size = " + hidden);
        }
        return (int) target[2];
    }

    private long[] reshapeTarget(NodeProto reshape) throws OnnxFormatException {
        TensorProto constant = graph.constant(reshape.getInput(1));
        if (constant != null) return OnnxGraph.longs(constant);
        NodeProto concat = graph.producer(reshape.getInput(1));
        if (concat == null || !concat.getOpType().equals("Concat")) {
            throw new OnnxFormatException(OnnxGraph.describe(reshape) + ": its target shape is neither a constant nor a Concat");
        }
        long[] out = new long[concat.getInputCount()];
        for (int i = 0; i < out.length; i++) {
            TensorProto part = graph.constant(concat.getInput(i));
            out[i] = part == null ? -1 : OnnxGraph.longs(part)[0]; // batch and sequence are computed: -1
        }
        return out;
    }

    // ======================================================================== residuals, norms, feed-forward

    /** The Add of a block's Linear output and the block's input (the residual), as the LayerNorm's input. */
    private String residual(Linear l, String blockInput) throws OnnxFormatException {
        NodeProto add = only(l.output(), "Add", OnnxGraph.describe(l.matMul()) + " residual");
        String other = add.getInput(0).equals(l.output()) ? add.getInput(1) : add.getInput(0);
        if (!other.equals(blockInput)) {
            throw new OnnxFormatException(OnnxGraph.describe(add) + ": adds '" + other + "', expected the block's input '" + blockInput + "' (the residual)");
        }
        return add.getOutput(0);
    }

    private Norm layerNorm(String x, int hidden) throws OnnxFormatException {
        for (NodeProto c : graph.consumers(x)) {
            if (c.getOpType().equals("LayerNormalization")) {
                float eps = 1e-5f;
                for (var a : c.getAttributeList()) if (a.getName().equals("epsilon")) eps = a.getF();
                return new Norm(c.getOutput(0), vector(c.getInput(1), hidden, c), vector(c.getInput(2), hidden, c), eps);
            }
        }
        String what = "LayerNorm after '" + x + "'";
        NodeProto mean = only(x, "ReduceMean", what);
        NodeProto centred = only(x, "Sub", what);
        if (!centred.getInput(1).equals(mean.getOutput(0))) throw new OnnxFormatException(OnnxGraph.describe(centred) + ": expected x - mean(x)");
        NodeProto square = only(centred.getOutput(0), "Pow", what);
        NodeProto variance = only(square.getOutput(0), "ReduceMean", what);
        NodeProto plusEps = only(variance.getOutput(0), "Add", what);
        String epsName = plusEps.getInput(0).equals(variance.getOutput(0)) ? plusEps.getInput(1) : plusEps.getInput(0);
        TensorProto epsTensor = graph.constant(epsName);
        if (epsTensor == null || OnnxGraph.numel(epsTensor) != 1) throw new OnnxFormatException(OnnxGraph.describe(plusEps) + ": expected a constant eps");
        float eps = OnnxGraph.floats(epsTensor)[0];
        NodeProto root = only(plusEps.getOutput(0), "Sqrt", what);
        NodeProto normalised = only(root.getOutput(0), "Div", what);
        if (!normalised.getInput(0).equals(centred.getOutput(0))) throw new OnnxFormatException(OnnxGraph.describe(normalised) + ": expected (x - mean) / std");
        NodeProto scale = only(normalised.getOutput(0), "Mul", what);
        NodeProto shift = only(scale.getOutput(0), "Add", what);
        String gamma = scale.getInput(0).equals(normalised.getOutput(0)) ? scale.getInput(1) : scale.getInput(0);
        String beta = shift.getInput(0).equals(scale.getOutput(0)) ? shift.getInput(1) : shift.getInput(0);
        return new Norm(shift.getOutput(0), vector(gamma, hidden, scale), vector(beta, hidden, shift), eps);
    }

    private float[] vector(String name, int size, NodeProto at) throws OnnxFormatException {
        TensorProto t = graph.constant(name);
        if (t == null || t.getDimsCount() != 1 || t.getDims(0) != size) {
            throw new OnnxFormatException(OnnxGraph.describe(at) + ": expected a constant [" + size + "] vector, found "
                    + (t == null ? "the computed value '" + name + "'" : Arrays.toString(OnnxGraph.dims(t))));
        }
        return OnnxGraph.floats(t);
    }

    /** The Linear after the intermediate one's activation; the activation must be the exact (erf) GELU. */
    private Linear linearAfterGelu(Linear inter) throws OnnxFormatException {
        // Every path from the intermediate Linear's output ends at the output Linear; what lies between is the activation.
        Deque<String> todo = new ArrayDeque<>(List.of(inter.output()));
        Set<String> activationOps = new HashSet<>();
        Linear found = null;
        for (int visited = 0; visited < 32 && !todo.isEmpty(); visited++) {
            for (NodeProto n : graph.consumers(todo.poll())) {
                Linear l = n.getOpType().equals("MatMul") ? linear(n) : null;
                if (l == null) {
                    activationOps.add(n.getOpType());
                    todo.add(n.getOutput(0));
                } else if (found == null) {
                    found = l;
                } else if (found.matMul() != l.matMul()) {
                    throw new OnnxFormatException("two Linears follow " + OnnxGraph.describe(inter.matMul()) + "'s activation: "
                            + OnnxGraph.describe(found.matMul()) + " and " + OnnxGraph.describe(l.matMul()));
                }
            }
        }
        if (found == null || !todo.isEmpty()) {
            throw new OnnxFormatException(OnnxGraph.describe(inter.matMul()) + " (intermediate): no single Linear follows its activation");
        }
        if (activationOps.contains("Tanh")) {
            throw new OnnxFormatException(OnnxGraph.describe(inter.matMul()) + ": the activation is the tanh approximation of"
                    + " GELU; Elektron implements the exact (erf) GELU that BERT and ELECTRA use");
        }
        if (!activationOps.contains("Erf")) {
            throw new OnnxFormatException(OnnxGraph.describe(inter.matMul()) + ": the activation is not GELU (ops between the"
                    + " Linears: " + activationOps + ")");
        }
        return found;
    }

    // ======================================================================== output

    private static void put(Map<String, RecognizedEncoder.Weight> w, String name, TensorProto t) throws OnnxFormatException {
        w.put(name, new RecognizedEncoder.Weight(OnnxGraph.dims(t), OnnxGraph.floats(t)));
    }

    private static void putNorm(Map<String, RecognizedEncoder.Weight> w, String prefix, Norm n) {
        w.put(prefix + ".weight", new RecognizedEncoder.Weight(new long[]{n.gamma().length}, n.gamma()));
        w.put(prefix + ".bias", new RecognizedEncoder.Weight(new long[]{n.beta().length}, n.beta()));
    }

    private static void putLinear(Map<String, RecognizedEncoder.Weight> w, String prefix, Linear l) {
        w.put(prefix + ".weight", new RecognizedEncoder.Weight(new long[]{l.out(), l.in()}, l.weightOutIn()));
        w.put(prefix + ".bias", new RecognizedEncoder.Weight(new long[]{l.out()}, l.bias()));
    }
}
