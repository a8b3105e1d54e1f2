package io.elektron.core;

import io.elektron.core.fenced.FencedBackend;
import io.elektron.core.nn.Linear;
import io.elektron.core.ops.Arithmetic;
import io.elektron.core.ops.Reductions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of the {@link Backend} contract that ops rely on without saying so, checked on every registered backend
 * (the CPU, the fenced test device, and whatever else is on the class path), plus the registry and the device seam.
 * Expected values are written out by hand.
 */
class BackendContractTest {
    static List<Backend> backends() {
        return Backends.providers().stream().filter(p -> p.unavailableReason() == null)
                .map(p -> Backends.of(new Device(p.deviceType(), 0))).toList();
    }

    private static float[] read(Backend b, Storage s, int n) {
        float[] out = new float[n];
        b.download(s, 0, out, 0, n);
        return out;
    }

    private static Storage upload(Backend b, float... values) {
        Storage s = b.allocate(values.length);
        b.upload(values, 0, s, 0, values.length);
        return s;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void allocateReturnsZeros(Backend b) {
        try (Storage s = b.allocate(1000)) {
            assertArrayEquals(new float[1000], read(b, s, 1000));
            assertEquals(b.device(), s.device());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void copy2dWithSourceRowStrideZeroBroadcastsOneRow(Backend b) {
        Storage row = upload(b, 1, 2, 3);
        Storage out = b.allocate(9);
        b.copy2d(row, 0, 0, out, 0, 3, 3, 3, false);
        assertArrayEquals(new float[]{1, 2, 3, 1, 2, 3, 1, 2, 3}, read(b, out, 9));
        b.copy2d(row, 0, 0, out, 0, 3, 3, 3, true); // accumulate adds
        assertArrayEquals(new float[]{2, 4, 6, 2, 4, 6, 2, 4, 6}, read(b, out, 9));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void elementwiseKernelsWorkInPlace(Backend b) {
        Storage x = upload(b, 1, -2, 3);
        b.scale(3, 2f, x, x);
        assertArrayEquals(new float[]{2, -4, 6}, read(b, x, 3));
        b.multiply(3, x, x, x, false);
        assertArrayEquals(new float[]{4, 16, 36}, read(b, x, 3));
        b.tanhForward(3, x, x);
        float[] t = read(b, x, 3);
        assertEquals((float) Math.tanh(4), t[0], 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void repeatedIdsAccumulateInEmbeddingScatterAdd(Backend b) {
        Storage gy = upload(b, 1, 10, 2, 20, 4, 40); // three rows of dim 2
        Storage gWeight = b.allocate(6);             // three embedding rows
        b.embeddingScatterAdd(b.uploadIndices(new int[]{1, 1, 0}), 2, gy, -1, gWeight);
        assertArrayEquals(new float[]{4, 40, 3, 30, 0, 0}, read(b, gWeight, 6));
        b.embeddingScatterAdd(b.uploadIndices(new int[]{2, 2, 2}), 2, gy, 2, gWeight); // all padding ids: nothing
        assertArrayEquals(new float[]{4, 40, 3, 30, 0, 0}, read(b, gWeight, 6));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void uploadedIndicesAreACopyOnTheBackendsDevice(Backend b) {
        int[] ids = {2, 0};
        IndexStorage stored = b.uploadIndices(ids);
        ids[0] = 1; // the caller's array may change afterwards
        assertEquals(b.device(), stored.device());
        assertEquals(2, stored.size());
        Storage weight = upload(b, 1, 2, 3, 4, 5, 6); // three rows of dim 2
        Storage out = b.allocate(4);
        b.embeddingGather(stored, 2, weight, out);
        assertArrayEquals(new float[]{5, 6, 1, 2}, read(b, out, 4));
        stored.close();
        assertTrue(stored.isClosed());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void reductionsWriteTheirResultIntoDeviceStorage(Backend b) {
        Storage x = upload(b, 1, 2, 3, 4, 5);
        Storage out = b.allocate(3);
        b.sum(x, 1, 3, 1, out, 0);     // 2 + 3 + 4
        b.sum(x, 0, 5, 5, out, 2);     // mean of 1..5
        assertArrayEquals(new float[]{9, 0, 3}, read(b, out, 3));
        assertEquals(55.0, b.sumOfSquares(x, 0, 5));
        assertEquals(1 + 4 + 9 + 81, b.sumOfSquares(new Storage[]{x, out}, new long[]{3, 1})); // 1..3, then 9
        Storage gy = upload(b, 6);
        Storage g = upload(b, 1, 1, 1, 1);
        b.addScalar(3, gy, 4, g);      // += 6 / 4 on the first three only
        assertArrayEquals(new float[]{2.5f, 2.5f, 2.5f, 1}, read(b, g, 4));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void lossKernelsReadTheirIncomingGradientFromDeviceStorage(Backend b) {
        // BCE at logit 0: every element costs log 2, and d/dx = sigmoid(0) - y = 0.5 - y.
        Storage logits = upload(b, 0, 0);
        Storage targets = upload(b, 1, 0);
        Storage loss = b.allocate(1);
        b.bceWithLogitsLoss(1, 2, logits, targets, null, 2, loss);
        assertEquals((float) Math.log(2), read(b, loss, 1)[0], 1e-7f);
        Storage gy = upload(b, 4);
        Storage gx = b.allocate(2);
        b.bceWithLogitsBackward(1, 2, logits, targets, null, gy, 2, gx); // gy / 2 = 2
        assertArrayEquals(new float[]{-1, 1}, read(b, gx, 2));
        // Cross-entropy over two equal logits: log 2 for the counted row; softmax 0.5 each.
        IndexStorage classes = b.uploadIndices(new int[]{1, -100});
        Storage ce = b.allocate(1);
        b.crossEntropyLoss(2, 2, upload(b, 3, 3, 9, 1), classes, -100, 1, ce);
        assertEquals((float) Math.log(2), read(b, ce, 1)[0], 1e-7f);
        Storage gce = b.allocate(4);
        b.crossEntropyBackward(2, 2, upload(b, 3, 3, 9, 1), classes, -100, gy, 1, gce);
        assertArrayEquals(new float[]{2, -2, 0, 0}, read(b, gce, 4)); // 4 * (0.5 - onehot), ignored row untouched
        b.crossEntropyLoss(2, 2, upload(b, 3, 3, 9, 1), b.uploadIndices(new int[]{-100, -100}), -100, 0, ce);
        assertTrue(Float.isNaN(read(b, ce, 1)[0]), "a mean over no rows is NaN, as in PyTorch");
        b.synchronize(); // a no-op on a synchronous backend, and never an error
    }

    @ParameterizedTest
    @MethodSource("backends")
    void lossesReductionsAndTheBackwardSeedStayOnTheInputsDevice(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(b, new float[]{1, 2, 3, 4}, 2, 2).requiresGrad(true);
            Tensor loss = Reductions.mean(Arithmetic.mul(x, x));
            assertEquals(b.device(), loss.device());
            loss.backward();
            assertEquals(b.device(), x.grad().device());
            assertArrayEquals(new float[]{0.5f, 1f, 1.5f, 2f}, x.grad().toFloatArray()); // d/dx mean(x^2) = x / 2
        }
    }

    @Test
    void theFencedDeviceRefusesHostStorageAndMixedOps() {
        Backend fenced = FencedBackend.get();
        try (TensorScope scope = TensorScope.open()) {
            Tensor host = Tensor.zeros(Backends.cpu(), 2);
            Tensor device = Tensor.zeros(fenced, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> fenced.axpy(2, 1f, host.storage(), 0, device.storage(), 0));
            assertTrue(e.getMessage().contains("axpy"), e.getMessage());
            IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> Arithmetic.add(host, device));
            assertTrue(mixed.getMessage().contains("different devices"), mixed.getMessage());
            // The CPU's kernels do not read device storage either.
            assertThrows(ClassCastException.class, () -> Backends.cpu().sumOfSquares(device.storage(), 0, 2));
            IllegalStateException hostIds = assertThrows(IllegalStateException.class, () -> fenced.embeddingGather(
                    Backends.cpu().uploadIndices(new int[]{0}), 2, device.storage(), device.storage()));
            assertTrue(hostIds.getMessage().contains("indices"), hostIds.getMessage());
        }
    }

    @Test
    void modulesAndTensorsMoveBetweenDevicesWithTheirValues() {
        Linear layer = new Linear(3, 2, true, new SplittableRandom(1), 0.5f);
        float[] before = layer.namedParameters().get("weight").toFloatArray();
        layer.to(FencedBackend.get());
        assertSame(FencedBackend.get(), layer.backend());
        assertArrayEquals(before, layer.namedParameters().get("weight").toFloatArray());
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(FencedBackend.get(), new float[]{1, 2, 3}, 1, 3);
            Tensor y = layer.forward(x);
            assertEquals(FencedBackend.DEVICE, y.device());
            Tensor back = y.to(Backends.cpu());
            assertEquals(Device.CPU, back.device());
            assertArrayEquals(y.toFloatArray(), back.toFloatArray());
        }
        layer.to(Backends.cpu());
        assertArrayEquals(before, layer.namedParameters().get("weight").toFloatArray());
        layer.close();
    }

    @Test
    void deviceScopesNestAndFactoriesFollowThem() {
        assertEquals(Device.CPU, Tensor.defaultBackend().device());
        try (DeviceScope outer = DeviceScope.use(FencedBackend.get())) {
            assertEquals(FencedBackend.DEVICE, Tensor.defaultBackend().device());
            try (DeviceScope inner = DeviceScope.use(Backends.cpu())) {
                assertEquals(Device.CPU, Tensor.defaultBackend().device());
            }
            assertEquals(FencedBackend.DEVICE, Tensor.defaultBackend().device());
        }
        assertEquals(Device.CPU, Tensor.defaultBackend().device());
    }

    @Test
    void devicesParseAndTheRegistryExplainsWhatIsMissing() {
        assertEquals(new Device("cuda", 1), Device.parse("CUDA:1"));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals("cuda:1", Device.cuda(1).toString());
        assertEquals("cpu", Device.parse("cpu").toString());
        assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:-1"));
        assertThrows(IllegalArgumentException.class, () -> Device.parse(""));
        // auto never picks the test device (rank -1) and falls back to the CPU when nothing better can run.
        assertEquals(Device.CPU, Backends.resolve("auto"));
        IllegalStateException noCuda = assertThrows(IllegalStateException.class, () -> Backends.resolve("cuda"));
        assertTrue(noCuda.getMessage().contains("no cuda backend is installed"), noCuda.getMessage());
        assertTrue(noCuda.getMessage().contains("cpu"), "names what is installed: " + noCuda.getMessage());
        IllegalStateException noSecondCpu = assertThrows(IllegalStateException.class, () -> Backends.resolve("cpu:1"));
        assertTrue(noSecondCpu.getMessage().contains("1 cpu device"), noSecondCpu.getMessage());
    }
}
