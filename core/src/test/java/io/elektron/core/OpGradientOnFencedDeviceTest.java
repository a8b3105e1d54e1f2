package io.elektron.core;

import io.elektron.core.fenced.OnFencedDevice;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every op's finite-difference gradient check again, with every tensor on the fenced test device. */
@ExtendWith(OnFencedDevice.class)
class OpGradientOnFencedDeviceTest extends OpGradientTest {
}
