package io.elektron.examples;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The two options every example takes: {@code --quick} (the CI setting) and {@code --out DIR}. */
record ExampleArgs(boolean quick, Path out) {
    /**
     * Kernels on one thread unless the user chose otherwise ({@code -Delektron.threads=N}). For the toy-sized matrices
     * of examples 1 and 2 handing work to other threads costs more than it saves. Call before the first tensor.
     */
    static void singleThreadedUnlessSet() {
        if (System.getProperty("elektron.threads") == null) System.setProperty("elektron.threads", "1");
        if (System.getProperty("elektron.blas.threads") == null) System.setProperty("elektron.blas.threads", "1");
    }

    static ExampleArgs parse(String[] args, String defaultOut) {
        List<String> list = Arrays.asList(args);
        boolean quick = list.contains("--quick");
        Path out = Path.of(defaultOut);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) out = Path.of(args[++i]);
            else if (!args[i].equals("--quick")) {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --quick, --out DIR)");
            }
        }
        return new ExampleArgs(quick, out);
    }
}
