package io.elektron.weights;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The allow-list of Python globals a torch.save {@code data.pkl} may name. Anything else ({@code os.system},
 * {@code builtins.eval}, {@code subprocess.Popen}, ...) is refused where it appears: a pickle is a program, and
 * loading a checkpoint must never run one. These are only names: nothing is ever looked up or instantiated
 * reflectively; {@link TorchUnpickler} interprets the handful of calls itself.
 */
enum TorchGlobal {
    /** {@code collections.OrderedDict()}: state dicts and (empty) backward-hook dicts. */
    ORDERED_DICT("collections", "OrderedDict", null),
    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", null),
    /** {@code _rebuild_parameter(tensor, requires_grad, backward_hooks)}: an nn.Parameter saved directly. */
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", null),
    // Storage classes appear only inside persistent ids, naming the element type of a data/<key> entry.
    FLOAT_STORAGE("torch", "FloatStorage", DType.F32),
    DOUBLE_STORAGE("torch", "DoubleStorage", DType.F64),
    HALF_STORAGE("torch", "HalfStorage", DType.F16),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", DType.BF16),
    LONG_STORAGE("torch", "LongStorage", DType.I64),
    INT_STORAGE("torch", "IntStorage", DType.I32),
    SHORT_STORAGE("torch", "ShortStorage", DType.I16),
    CHAR_STORAGE("torch", "CharStorage", DType.I8),
    BYTE_STORAGE("torch", "ByteStorage", DType.U8),
    BOOL_STORAGE("torch", "BoolStorage", DType.BOOL);

    private final String module;
    private final String name;
    private final DType storageDType;

    TorchGlobal(String module, String name, DType storageDType) {
        this.module = module;
        this.name = name;
        this.storageDType = storageDType;
    }

    /** The allowed global {@code module.name}, or empty if it is not allowed. */
    static Optional<TorchGlobal> find(String module, String name) {
        return Arrays.stream(values()).filter(g -> g.module.equals(module) && g.name.equals(name)).findFirst();
    }

    /** Every allowed global as {@code module.name}, for error messages and documentation. */
    static List<String> allowedNames() {
        return Arrays.stream(values()).map(TorchGlobal::qualifiedName).toList();
    }

    String qualifiedName() {
        return module + "." + name;
    }

    /** True for the storage classes, which name an element type rather than a callable. */
    boolean isStorageType() {
        return storageDType != null;
    }

    /** The element type of a storage class. */
    DType storageDType() {
        if (storageDType == null) {
            throw new IllegalStateException(qualifiedName() + " is not a storage type");
        }
        return storageDType;
    }
}
