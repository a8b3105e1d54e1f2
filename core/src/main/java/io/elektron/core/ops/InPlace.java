package io.elektron.core.ops;

import io.elektron.core.autograd.GradMode;

/** The one rule for ops that overwrite their input: only while no graph is being recorded. */
final class InPlace {
    private InPlace() {
    }

    static void requireGradModeOff(String op) {
        if (GradMode.isEnabled()) {
            throw new IllegalStateException(op + " overwrites its input, which a recorded graph may still need: call it"
                    + " only inside GradMode.disabled() (inference), or use the out-of-place op");
        }
    }
}
