package io.elektron.core.fenced;

import io.elektron.core.DeviceScope;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test of a class with the {@link FencedBackend} as the thread's device: every tensor a test creates without
 * naming a backend lives there, so a CPU-only test class becomes a conformance test of the device seam by extending it
 * with {@code @ExtendWith(OnFencedDevice.class)}.
 */
public final class OnFencedDevice implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OnFencedDevice.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("scope", DeviceScope.use(FencedBackend.get()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        DeviceScope scope = context.getStore(NS).remove("scope", DeviceScope.class);
        if (scope != null) scope.close();
    }
}
