package io.elektron.model.onnx;

import io.elektron.model.onnx.proto.AttributeProto;
import io.elektron.model.onnx.proto.GraphProto;
import io.elektron.model.onnx.proto.NodeProto;
import io.elektron.model.onnx.proto.TensorProto;
import io.elektron.model.onnx.proto.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph as a dataflow graph to walk: which node produces a value, which nodes consume it, and the constant
 * values (initializers and Constant nodes) with their numbers decoded.
 */
final class OnnxGraph {
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;

    private final List<NodeProto> nodes;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Set<String> inputs = new HashSet<>();
    private final Set<String> outputs = new HashSet<>();

    OnnxGraph(GraphProto graph) {
        nodes = graph.getNodeList();
        for (TensorProto t : graph.getInitializerList()) constants.put(t.getName(), t);
        for (ValueInfoProto v : graph.getInputList()) if (!constants.containsKey(v.getName())) inputs.add(v.getName());
        for (ValueInfoProto v : graph.getOutputList()) outputs.add(v.getName());
        for (NodeProto n : graph.getNodeList()) {
            for (String out : n.getOutputList()) producers.put(out, n);
            for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("value") && a.hasT()) constants.put(n.getOutput(0), a.getT());
                }
            }
        }
    }

    /** Every node, in file order. */
    List<NodeProto> nodes() {
        return nodes;
    }

    List<NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    NodeProto producer(String value) {
        return producers.get(value);
    }

    boolean isGraphInput(String value) {
        return inputs.contains(value);
    }

    boolean isGraphOutput(String value) {
        return outputs.contains(value);
    }

    /** The constant (initializer or Constant node output) named {@code value}, or null when it is computed. */
    TensorProto constant(String value) {
        return constants.get(value);
    }

    static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    static long numel(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) n = Math.multiplyExact(n, d);
        return n;
    }

    /** A float tensor's values, from raw_data (little-endian) or float_data, checked against its dims. */
    static float[] floats(TensorProto t) throws OnnxFormatException {
        if (t.getDataLocation() == 1) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' keeps its data in an external file; "
                    + "export with the weights inside the .onnx file");
        }
        if (t.getDataType() != FLOAT) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' has data type " + t.getDataType() + ", expected 1 (float32)");
        }
        long n = numel(t);
        if (n > Integer.MAX_VALUE) throw new OnnxFormatException("tensor '" + t.getName() + "' is too large: " + n + " values");
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != n * 4) {
                throw new OnnxFormatException("tensor '" + t.getName() + "' " + java.util.Arrays.toString(dims(t)) + " needs "
                        + n * 4 + " bytes of raw_data, has " + t.getRawData().size());
            }
            float[] out = new float[(int) n];
            ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        if (t.getFloatDataCount() != n) {
            throw new OnnxFormatException("tensor '" + t.getName() + "' " + java.util.Arrays.toString(dims(t)) + " needs " + n
                    + " values, has " + t.getFloatDataCount());
        }
        float[] out = new float[(int) n];
        for (int i = 0; i < out.length; i++) out[i] = t.getFloatData(i);
        return out;
    }

    /** An integer tensor's values (int64 or int32, raw or typed). */
    static long[] longs(TensorProto t) throws OnnxFormatException {
        long n = numel(t);
        if (n > 1 << 20) throw new OnnxFormatException("tensor '" + t.getName() + "' is too large for a shape: " + n + " values");
        long[] out = new long[(int) n];
        boolean raw = !t.getRawData().isEmpty();
        if (t.getDataType() == INT64) {
            if (raw ? t.getRawData().size() != n * 8 : t.getInt64DataCount() != n) {
                throw new OnnxFormatException("tensor '" + t.getName() + "': its int64 data does not match its dims");
            }
            if (raw) ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            else for (int i = 0; i < n; i++) out[i] = t.getInt64Data(i);
        } else if (t.getDataType() == INT32) {
            if (raw ? t.getRawData().size() != n * 4 : t.getInt32DataCount() != n) {
                throw new OnnxFormatException("tensor '" + t.getName() + "': its int32 data does not match its dims");
            }
            for (int i = 0; i < n; i++) {
                out[i] = raw ? ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getInt(i * 4)
                        : t.getInt32Data(i);
            }
        } else {
            throw new OnnxFormatException("tensor '" + t.getName() + "' has data type " + t.getDataType() + ", expected an integer type");
        }
        return out;
    }

    /** "MatMul node '/encoder/layer.0/...'" for messages. */
    static String describe(NodeProto n) {
        return n.getOpType() + " node '" + (n.getName().isEmpty() ? String.join(",", n.getOutputList()) : n.getName()) + "'";
    }
}
