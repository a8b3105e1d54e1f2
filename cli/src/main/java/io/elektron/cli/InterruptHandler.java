package io.elektron.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during training: the first SIGINT asks the trainer to stop after the current step and save a resumable
 * checkpoint; a second one aborts at once (the previous handler, normally JVM exit). Restored on close.
 * sun.misc.Signal is the JDK's only hook for this (module jdk.unsupported, present in every JDK 17).
 */
final class InterruptHandler implements AutoCloseable {
    private final SignalHandler previous;
    private final Signal signal;

    private InterruptHandler(Signal signal, SignalHandler previous) {
        this.signal = signal;
        this.previous = previous;
    }

    static InterruptHandler install(Runnable onFirstInterrupt) {
        Signal sigint = new Signal("INT");
        SignalHandler[] previous = new SignalHandler[1];
        boolean[] seen = {false};
        previous[0] = Signal.handle(sigint, s -> {
            if (seen[0] && previous[0] != null) {
                previous[0].handle(s);
                return;
            }
            seen[0] = true;
            onFirstInterrupt.run();
        });
        return new InterruptHandler(sigint, previous[0]);
    }

    @Override
    public void close() {
        if (previous != null) Signal.handle(signal, previous);
    }
}
