package io.elektron.core.fenced;

import io.elektron.core.Backend;
import io.elektron.core.Backends;
import io.elektron.core.Device;
import io.elektron.core.IndexStorage;
import io.elektron.core.Storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A second backend for tests, standing in for a GPU on machines without one: its storages are tagged as device
 * memory ({@link #DEVICE}), every kernel refuses a storage that is not its own (a host tensor reaching a device kernel:
 * a scalar or mask created on the default CPU backend by an op or the model), and the CPU backend's kernels refuse its
 * storages (Java code reading device memory as if it were host memory). The arithmetic is the CPU's, so results must
 * equal the CPU's exactly: any difference is a seam bug, not rounding.
 *
 * <p>A dynamic proxy over the {@link Backend} interface, so that a kernel added to the contract is fenced without
 * touching this class.
 */
public final class FencedBackend {
    public static final Device DEVICE = new Device("fenced", 0);
    private static long liveFloats;
    private static long peakFloats;
    private static final Backend INSTANCE = create();

    private FencedBackend() {
    }

    public static Backend get() {
        return INSTANCE;
    }

    /**
     * Floats held by open storages of this device at most since the last reset: device memory the code kept alive at
     * its peak, for tests that check what a computation holds at once.
     */
    public static synchronized long peakFloats() {
        return peakFloats;
    }

    /** Starts a new peak from what is open now. */
    public static synchronized void resetPeak() {
        peakFloats = liveFloats;
    }

    static synchronized void allocated(long floats) {
        liveFloats += floats;
        peakFloats = Math.max(peakFloats, liveFloats);
    }

    static synchronized void released(long floats) {
        liveFloats -= floats;
    }

    private static Backend create() {
        Backend cpu = Backends.cpu();
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "device" -> DEVICE;
            case "describe" -> "fenced test device (CPU kernels behind device-tagged storage)";
            case "toString" -> "FencedBackend";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "allocate", "allocateUninitialized" -> new FencedStorage((Storage) invoke(cpu, method, args));
            case "uploadIndices" -> new FencedIndexStorage((IndexStorage) invoke(cpu, method, args));
            default -> invoke(cpu, method, unwrap(method, args));
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, handler);
    }

    private static Object[] unwrap(Method method, Object[] args) {
        if (args == null) return null;
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof Storage[] several) {
                Storage[] inner = new Storage[several.length];
                for (int j = 0; j < several.length; j++) inner[j] = unwrapStorage(method, several[j], i);
                out[i] = inner;
            } else if (out[i] instanceof FencedIndexStorage f) {
                out[i] = f.inner;
            } else if (out[i] instanceof IndexStorage s) {
                throw new IllegalStateException("fenced backend: " + method.getName() + " got " + s.device()
                        + " indices (argument " + i + "): ids were uploaded to another device than its op's inputs");
            } else if (out[i] instanceof Storage s) {
                out[i] = unwrapStorage(method, s, i);
            }
        }
        return out;
    }

    private static Storage unwrapStorage(Method method, Storage s, int argument) {
        if (s instanceof FencedStorage f) return f.inner;
        throw new IllegalStateException("fenced backend: " + method.getName() + " got a " + s.device()
                + " storage (argument " + argument + "): a tensor was created on another device than its op's inputs");
    }

    private static Object invoke(Backend cpu, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(cpu, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
