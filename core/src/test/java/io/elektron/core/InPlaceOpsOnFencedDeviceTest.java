package io.elektron.core;

import io.elektron.core.fenced.OnFencedDevice;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link InPlaceOpsTest} again, with every tensor on the fenced test device. */
@ExtendWith(OnFencedDevice.class)
class InPlaceOpsOnFencedDeviceTest extends InPlaceOpsTest {
}
