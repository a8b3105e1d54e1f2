package io.elektron.cli;

import io.elektron.core.Backends;
import io.elektron.core.Device;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda, cuda:N, or auto (the best backend that"
            + " can run here: a GPU when a GPU backend is installed and finds one, else the CPU). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Option(names = "--threads", description = "CPU threads for kernels (default: all cores).")
    Integer threads;

    /**
     * Applies the thread and device choices: models, data and everything the commands create go on the chosen device.
     * A device no installed backend can serve is a one-line error here, before any work.
     */
    void apply() {
        if (threads != null) {
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            System.setProperty("elektron.threads", Integer.toString(threads));
            System.setProperty("elektron.blas.threads", Integer.toString(threads));
        }
        Device chosen;
        try {
            chosen = Backends.resolve(device);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--device " + device + ": " + e.getMessage().replaceFirst("^device \\S+: ", "")
                    + "; use --device cpu", e);
        }
        Backends.setDefault(Backends.of(chosen));
    }
}
