package io.elektron.core;

import io.elektron.core.fenced.OnFencedDevice;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link TrainingTest} again, with every tensor on the fenced test device. */
@ExtendWith(OnFencedDevice.class)
class TrainingOnFencedDeviceTest extends TrainingTest {
}
