package io.elektron.core.ops;

import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

import java.util.Arrays;

/** Reshape (a view), transpose, slice and concat (copies), each with its backward. */
public final class ShapeOps {
    private ShapeOps() {
    }

    /** Same values, new shape (one dimension may be -1 and is inferred). Shares storage. */
    public static Tensor reshape(Tensor x, int... newShape) {
        int[] shape = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one dimension can be -1, got " + Arrays.toString(newShape));
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Arrays.toString(newShape));
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + ShapeCheck.str(x.shape()) + " to " + Arrays.toString(newShape));
            }
            shape[infer] = (int) (x.numel() / known);
        }
        if (ShapeCheck.numel(shape) != x.numel()) {
            throw new IllegalArgumentException("reshape: " + ShapeCheck.str(x.shape()) + " (" + x.numel()
                    + " values) cannot become " + Arrays.toString(newShape));
        }
        Tensor out = x.viewAs(shape);
        int[] original = x.shape();
        return Autograd.record(out, "reshape", new Tensor[]{x}, gy -> x.accumulateGrad(gy.viewAs(original)));
    }

    /** Swaps two dimensions (a copy). */
    public static Tensor transpose(Tensor x, int dim0, int dim1) {
        int rank = x.rank();
        int d0 = ShapeCheck.normalizeDim(dim0, rank, "transpose");
        int d1 = ShapeCheck.normalizeDim(dim1, rank, "transpose");
        if (d0 == d1) return x;
        int lo = Math.min(d0, d1);
        int hi = Math.max(d0, d1);
        int[] s = x.shape();
        int outer = prod(s, 0, lo);
        int mid = prod(s, lo + 1, hi);
        int inner = prod(s, hi + 1, rank);
        int a = s[lo];
        int b = s[hi];
        int[] outShape = s.clone();
        outShape[lo] = b;
        outShape[hi] = a;
        Tensor out = Tensor.empty(x.backend(), outShape);
        x.backend().swapAxes(x.storage(), out.storage(), outer, a, mid, b, inner, false);
        return Autograd.record(out, "transpose", new Tensor[]{x}, gy ->
                x.backend().swapAxes(gy.storage(), x.gradForAccumulation().storage(), outer, b, mid, a, inner, true));
    }

    /** Elements [start, end) along {@code dim} (a copy). */
    public static Tensor slice(Tensor x, int dim, int start, int end) {
        int d = ShapeCheck.normalizeDim(dim, x.rank(), "slice");
        int[] s = x.shape();
        if (start < 0 || end > s[d] || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for dimension "
                    + d + " of size " + s[d] + " in " + Arrays.toString(s));
        }
        int outer = prod(s, 0, d);
        int inner = prod(s, d + 1, s.length);
        int len = end - start;
        int[] outShape = s.clone();
        outShape[d] = len;
        Tensor out = Tensor.empty(x.backend(), outShape);
        int srcStride = s[d] * inner;
        int cols = len * inner;
        long srcOffset = (long) start * inner;
        x.backend().copy2d(x.storage(), srcOffset, srcStride, out.storage(), 0, cols, outer, cols, false);
        return Autograd.record(out, "slice", new Tensor[]{x}, gy -> x.backend().copy2d(gy.storage(), 0, cols,
                x.gradForAccumulation().storage(), srcOffset, srcStride, outer, cols, true));
    }

    /** Joins tensors along {@code dim}; all other dimensions must agree. */
    public static Tensor concat(int dim, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: no tensors");
        ShapeCheck.sameDevice("concat", parts);
        int[] first = parts[0].shape();
        int d = ShapeCheck.normalizeDim(dim, first.length, "concat");
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            if (s.length != first.length) {
                throw new IllegalArgumentException("concat: ranks differ: " + Arrays.toString(first) + " vs " + Arrays.toString(s));
            }
            for (int i = 0; i < s.length; i++) {
                if (i != d && s[i] != first[i]) {
                    throw new IllegalArgumentException("concat: shapes " + Arrays.toString(first) + " and "
                            + Arrays.toString(s) + " differ outside dimension " + d);
                }
            }
            total += s[d];
        }
        int outer = prod(first, 0, d);
        int inner = prod(first, d + 1, first.length);
        int[] outShape = first.clone();
        outShape[d] = total;
        Tensor out = Tensor.empty(parts[0].backend(), outShape);
        int dstStride = total * inner;
        long[] offsets = new long[parts.length];
        long offset = 0;
        for (int i = 0; i < parts.length; i++) {
            int cols = parts[i].size(d) * inner;
            offsets[i] = offset;
            out.backend().copy2d(parts[i].storage(), 0, cols, out.storage(), offset, dstStride, outer, cols, false);
            offset += cols;
        }
        return Autograd.record(out, "concat", parts.clone(), gy -> {
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].requiresGrad()) continue;
                int cols = parts[i].size(d) * inner;
                out.backend().copy2d(gy.storage(), offsets[i], dstStride, parts[i].gradForAccumulation().storage(), 0,
                        cols, outer, cols, true);
            }
        });
    }

    private static int prod(int[] s, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }
}
