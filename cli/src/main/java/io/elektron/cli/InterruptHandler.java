package io.elektron.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) or a polite stop (SIGTERM: {@code docker stop}, Kubernetes, SLURM, {@code timeout}) during
 * training: the first signal asks the trainer to stop after the current step and save a resumable checkpoint; a second
 * one aborts at once (the previous handler, normally JVM exit). Restored on close. sun.misc.Signal is the JDK's only
 * hook for this (module jdk.unsupported, present in every JDK 17).
 */
final class InterruptHandler implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final Map<Signal, SignalHandler> previous;

    private InterruptHandler(Map<Signal, SignalHandler> previous) {
        this.previous = previous;
    }

    static InterruptHandler install(Runnable onFirstInterrupt) {
        // Read from the signal-dispatch thread: a concurrent map makes the main thread's puts visible there.
        Map<Signal, SignalHandler> previous = new ConcurrentHashMap<>();
        AtomicBoolean seen = new AtomicBoolean();
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, s -> {
                if (seen.getAndSet(true)) {
                    SignalHandler before = previous.get(signal);
                    if (before != null) before.handle(s);
                    return;
                }
                onFirstInterrupt.run();
            }));
        }
        return new InterruptHandler(previous);
    }

    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            if (handler != null) Signal.handle(signal, handler);
        });
    }
}
