package io.elektron.cli;

import io.elektron.core.Device;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda or auto (CUDA when present). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Option(names = "--threads", description = "CPU threads for kernels (default: all cores).")
    Integer threads;

    /** Applies the device choice: CUDA is not available in this build, so auto means CPU and cuda is an error. */
    void apply() {
        if (threads != null) {
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            System.setProperty("elektron.threads", Integer.toString(threads));
            System.setProperty("elektron.blas.threads", Integer.toString(threads));
        }
        if (!device.equalsIgnoreCase("auto") && Device.parse(device) == Device.CUDA) {
            throw new IllegalArgumentException("--device cuda: no CUDA backend is available in this build (issue #8); use --device cpu");
        }
    }
}
