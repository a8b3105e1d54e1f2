package io.elektron.core;

import io.elektron.core.fenced.OnFencedDevice;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every op's forward against its hand-computed values again, with every tensor on the fenced test device. */
@ExtendWith(OnFencedDevice.class)
class OpForwardOnFencedDeviceTest extends OpForwardTest {
}
