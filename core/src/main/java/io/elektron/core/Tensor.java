package io.elektron.core;

import io.elektron.core.autograd.Autograd;
import io.elektron.core.autograd.Node;
import io.elektron.core.ops.Activations;
import io.elektron.core.ops.Arithmetic;
import io.elektron.core.ops.MatMul;
import io.elektron.core.ops.Reductions;
import io.elektron.core.ops.ShapeOps;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * An n-dimensional float32 array on one device, row-major and contiguous, that can take part in automatic
 * differentiation.
 *
 * <p>A tensor that {@link #requiresGrad()} and was made by an op remembers the op in a {@link Node}; calling
 * {@link #backward()} on a scalar walks those nodes in reverse topological order and accumulates gradients into the
 * {@link #grad()} of every tensor that requires one. Views ({@link #reshape}) share storage; everything else copies.
 */
public final class Tensor {
    private final int[] shape;
    private final long numel;
    // Not final: Module.to(backend) moves a parameter's data to another device in place (moveTo), so that the
    // layers that hold it need not be rebuilt.
    private Storage storage;
    private Backend backend;

    private boolean requiresGrad;
    private Node node;
    private Tensor grad;
    private String name;
    private boolean retainGrad;

    // Which rows of a 2-D gradient were written since the last zeroGrad: the embedding backward scatter-adds a few rows,
    // and adversarial training and sparse optimizers use that to touch only those rows. Any dense accumulation makes
    // the whole gradient dense.
    private BitSet gradRows;
    private boolean gradDense;

    private Tensor(int[] shape, Storage storage, Backend backend) {
        this.shape = shape;
        this.numel = ShapeCheck.numel(shape);
        this.storage = storage;
        this.backend = backend;
    }

    // ======================================================================== factories

    /**
     * Where factories without a backend argument create tensors: the thread's open {@link DeviceScope}, else the
     * process default ({@link Backends#setDefault}, the CLI's --device), else the CPU.
     */
    public static Backend defaultBackend() {
        return DeviceScope.current();
    }

    /** A zero-filled tensor owned by the current {@link TensorScope}, if one is open. */
    public static Tensor zeros(int... shape) {
        return zeros(defaultBackend(), shape);
    }

    public static Tensor zeros(Backend backend, int... shape) {
        int[] s = ShapeCheck.validShape(shape);
        Storage storage = backend.allocate(ShapeCheck.numel(s));
        TensorScope.track(storage);
        return new Tensor(s, storage, backend);
    }

    /**
     * A tensor with undefined contents, owned by the current scope: only for an op whose kernel then writes every
     * element (a GEMM with beta 0, an elementwise forward). Anything else gets {@link #zeros}.
     */
    public static Tensor empty(Backend backend, int... shape) {
        int[] s = ShapeCheck.validShape(shape);
        Storage storage = backend.allocateUninitialized(ShapeCheck.numel(s));
        TensorScope.track(storage);
        return new Tensor(s, storage, backend);
    }

    /** A zero-filled tensor that no scope owns: parameters, their gradients, optimizer state. */
    public static Tensor zerosUnscoped(Backend backend, int... shape) {
        int[] s = ShapeCheck.validShape(shape);
        return new Tensor(s, backend.allocate(ShapeCheck.numel(s)), backend);
    }

    /** A tensor holding a copy of {@code data} (row-major) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        return of(defaultBackend(), data, shape);
    }

    /** A tensor on {@code backend} holding a copy of {@code data} (row-major), owned by the current scope. */
    public static Tensor of(Backend backend, float[] data, int... shape) {
        int[] s = ShapeCheck.validShape(shape);
        if (ShapeCheck.numel(s) != data.length) {
            throw new IllegalArgumentException("Tensor.of: shape " + Arrays.toString(s) + " holds "
                    + ShapeCheck.numel(s) + " values, got " + data.length);
        }
        Tensor t = empty(backend, s);
        t.copyFrom(data);
        return t;
    }

    public static Tensor scalar(float value) {
        return scalar(defaultBackend(), value);
    }

    /** A one-element tensor on {@code backend}: what a loss or a reduction returns, on its input's device. */
    public static Tensor scalar(Backend backend, float value) {
        return full(backend, value);
    }

    public static Tensor full(float value, int... shape) {
        return full(defaultBackend(), value, shape);
    }

    public static Tensor full(Backend backend, float value, int... shape) {
        Tensor t = empty(backend, shape);
        backend.fill(t.storage, 0, t.numel, value);
        return t;
    }

    /** Normal(0, std) values from a seeded generator. */
    public static Tensor randn(long seed, float std, int... shape) {
        int[] s = ShapeCheck.validShape(shape);
        float[] values = new float[Math.toIntExact(ShapeCheck.numel(s))];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < values.length; i++) values[i] = (float) (gaussian(random) * std);
        return of(values, s);
    }

    /** Box-Muller: SplittableRandom has no nextGaussian in Java 17. */
    static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    // ======================================================================== shape and data

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code dim}; negative dims count from the end. */
    public int size(int dim) {
        return shape[ShapeCheck.normalizeDim(dim, shape.length, "size")];
    }

    public long numel() {
        return numel;
    }

    public Storage storage() {
        return storage;
    }

    public Backend backend() {
        return backend;
    }

    public Device device() {
        return backend.device();
    }

    public String name() {
        return name;
    }

    public Tensor named(String name) {
        this.name = name;
        return this;
    }

    /** A copy of the values, row-major. */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(numel)];
        backend.download(storage, 0, out, 0, out.length);
        return out;
    }

    /** Overwrites this tensor's values (no autograd record). */
    public void copyFrom(float[] data) {
        if (data.length != numel) {
            throw new IllegalArgumentException("copyFrom: tensor " + Arrays.toString(shape) + " holds " + numel
                    + " values, got " + data.length);
        }
        backend.upload(data, 0, storage, 0, data.length);
    }

    /** Overwrites this tensor's values with another's (no autograd record). */
    public void copyFrom(Tensor other) {
        ShapeCheck.sameShape("copyFrom", this, other);
        backend.copy(other.storage, 0, storage, 0, numel);
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel != 1) throw new IllegalStateException("item() needs a one-element tensor, got shape " + Arrays.toString(shape));
        float[] one = new float[1];
        backend.download(storage, 0, one, 0, 1);
        return one[0];
    }

    /** One value by index (slow path: for tests and printing). */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: tensor has rank " + shape.length + ", got " + index.length + " indices");
        }
        long flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " out of bounds for shape "
                        + Arrays.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        float[] one = new float[1];
        backend.download(storage, flat, one, 0, 1);
        return one[0];
    }

    /** Releases the storage now (views share it). */
    public void close() {
        storage.close();
    }

    /** A view on the same storage with another shape (no copy, no autograd record). */
    public Tensor viewAs(int[] newShape) {
        if (ShapeCheck.numel(newShape) != numel) {
            throw new IllegalArgumentException("view: cannot view " + numel + " values as " + Arrays.toString(newShape));
        }
        return new Tensor(newShape.clone(), storage, backend);
    }

    /** A new tensor sharing this one's storage, cut from the graph. */
    /**
     * A copy of this tensor on {@code target} (this tensor itself when it is already there), owned by the current
     * scope and outside the autograd graph. The data goes through host memory: backends do not know each other.
     */
    public Tensor to(Backend target) {
        if (target == backend) return this;
        Tensor t = empty(target, shape);
        t.copyFrom(toFloatArray());
        return t;
    }

    /**
     * Moves a leaf tensor's data (a parameter, a buffer) to {@code target} in place, for {@code Module.to}: whoever holds
     * the tensor sees it on the new device. Its gradient, if any, is released (it would be on the old device).
     */
    public void moveTo(Backend target) {
        if (target == backend) return;
        if (node != null) {
            throw new IllegalStateException("moveTo: only leaf tensors (parameters) move in place; " + this
                    + " was computed by an op (use to(backend) for a copy)");
        }
        float[] data = toFloatArray();
        Storage moved = target.allocateUninitialized(numel);
        target.upload(data, 0, moved, 0, data.length);
        Storage old = storage;
        storage = moved;
        backend = target;
        old.close();
        if (grad != null) {
            grad.storage.close();
            grad = null;
        }
        gradDense = false;
        gradRows = null;
    }

    public Tensor detach() {
        return new Tensor(shape.clone(), storage, backend);
    }

    // ======================================================================== autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as needing a gradient (parameters). */
    public Tensor requiresGrad(boolean value) {
        if (node != null) throw new IllegalStateException("requiresGrad can only be set on a leaf tensor");
        this.requiresGrad = value;
        return this;
    }

    public boolean isLeaf() {
        return node == null;
    }

    /** The op that produced this tensor, or null for a leaf. */
    public Node node() {
        return node;
    }

    /** Called by {@link Autograd#record}. */
    public void attachNode(Node node) {
        this.node = node;
        this.requiresGrad = true;
    }

    /** Drops the node and, for a non-leaf, the gradient that has been passed on (unless {@link #retainGrad()}). */
    public void releaseGraph() {
        if (node != null) {
            node = null;
            if (!retainGrad && grad != null) {
                // Its only reader (this node's backward) has run: give the memory back now rather than at the end
                // of the step, which lowers the backward pass's peak.
                grad.close();
                grad = null;
            }
        }
    }

    /**
     * Keeps this non-leaf tensor's gradient after backward (as torch's retain_grad): the Miyato form of adversarial
     * training needs the gradient of the embedded sequence, an intermediate.
     */
    public Tensor retainGrad() {
        this.retainGrad = true;
        return this;
    }

    /** The accumulated gradient, or null if none has arrived since the last {@link #zeroGrad()}. */
    public Tensor grad() {
        return grad;
    }

    /**
     * The gradient buffer, allocated zero-filled on first use, for a backward kernel to accumulate into densely.
     * Leaves (parameters) get unscoped buffers that live across steps; intermediates get scoped ones.
     */
    public Tensor gradForAccumulation() {
        gradDense = true;
        return ensureGrad();
    }

    /** Like {@link #gradForAccumulation()}, but records that only {@code rows} (of dimension 0) are written. */
    public Tensor gradForRowAccumulation(int[] rows, int skipRow) {
        Tensor g = ensureGrad();
        if (!gradDense) {
            if (gradRows == null) gradRows = new BitSet(shape[0]);
            for (int r : rows) if (r != skipRow) gradRows.set(r);
        }
        return g;
    }

    private Tensor ensureGrad() {
        if (grad == null) {
            grad = node == null ? zerosUnscoped(backend, shape) : zeros(backend, shape);
        }
        return grad;
    }

    /** True when some dense op (not only row scatter-adds) wrote to the gradient since the last zeroGrad. */
    public boolean gradIsDense() {
        return gradDense;
    }

    /** Rows written by row accumulations since the last zeroGrad (empty when none); meaningful when not dense. */
    public int[] gradTouchedRows() {
        return gradRows == null ? new int[0] : gradRows.stream().toArray();
    }

    /** grad += g (shapes must match). */
    public void accumulateGrad(Tensor g) {
        ShapeCheck.sameShape("accumulateGrad", this, g);
        Tensor target = gradForAccumulation();
        backend.axpy(numel, 1f, g.storage, 0, target.storage, 0);
    }

    /** Sets the gradient to zero, keeping the buffer for reuse. */
    public void zeroGrad() {
        if (grad != null) {
            if (!gradDense && gradRows != null) {
                int cols = (int) (numel / shape[0]);
                for (int r = gradRows.nextSetBit(0); r >= 0; r = gradRows.nextSetBit(r + 1)) {
                    backend.fill(grad.storage, (long) r * cols, cols, 0f);
                }
            } else {
                backend.fill(grad.storage, 0, grad.numel, 0f);
            }
        }
        gradDense = false;
        if (gradRows != null) gradRows.clear();
    }

    /** Backward from a one-element tensor (the loss). */
    public void backward() {
        if (numel != 1) {
            throw new IllegalStateException("backward() without a gradient needs a scalar, got shape " + Arrays.toString(shape));
        }
        Tensor seed = full(backend, 1f, shape);
        Autograd.backward(this, seed);
    }

    /** Backward with an explicit gradient of this tensor. */
    public void backward(Tensor gradient) {
        ShapeCheck.sameShape("backward", this, gradient);
        Autograd.backward(this, gradient);
    }

    // ======================================================================== fluent ops (see io.elektron.core.ops)

    public Tensor add(Tensor other) {
        return Arithmetic.add(this, other);
    }

    public Tensor sub(Tensor other) {
        return Arithmetic.sub(this, other);
    }

    public Tensor mul(Tensor other) {
        return Arithmetic.mul(this, other);
    }

    public Tensor mul(float factor) {
        return Arithmetic.scale(this, factor);
    }

    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other, false, false);
    }

    public Tensor gelu() {
        return Activations.gelu(this);
    }

    public Tensor tanh() {
        return Activations.tanh(this);
    }

    public Tensor sum() {
        return Reductions.sum(this);
    }

    public Tensor mean() {
        return Reductions.mean(this);
    }

    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    public Tensor transpose(int dim0, int dim1) {
        return ShapeOps.transpose(this, dim0, dim1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape));
        if (name != null) sb.append(" '").append(name).append('\'');
        if (requiresGrad) sb.append(node != null ? " grad_fn=" + node.op() : " requires_grad");
        if (numel <= 16 && !storage.isClosed()) sb.append(' ').append(Arrays.toString(toFloatArray()));
        return sb.toString();
    }
}
