package io.elektron.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory and CPU accounting from {@code /proc/self}: VmHWM (the peak resident set, what
 * {@code ru_maxrss} reports in Python), VmRSS, minor page faults, user/system CPU time, open file descriptors and
 * threads. Memory covers the Java heap,
 * native tensor storage and the JVM itself: everything a user pays. System time and page faults show the cost of
 * mapping fresh memory for every tensor (the kernel zeroes each new page).
 */
public final class ProcessStats {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path STAT = Path.of("/proc/self/stat");
    /** USER_HZ: 100 on every Linux this runs on. */
    private static final double MS_PER_TICK = 10.0;

    private ProcessStats() {
    }

    /** Peak resident set size in bytes, or -1 where /proc is missing (not Linux). */
    public static long peakRssBytes() {
        return statusNumber("VmHWM:") * 1024;
    }

    /** Current resident set size in bytes, or -1. */
    public static long rssBytes() {
        return statusNumber("VmRSS:") * 1024;
    }

    /** Open file descriptors (entries of /proc/self/fd, the listing's own included), or -1. */
    public static int openFileDescriptors() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Operating-system threads of this process (Java and native, e.g. OpenBLAS's), or -1. */
    public static int threads() {
        return (int) statusNumber("Threads:");
    }

    /** Minor page faults so far (field 10 of /proc/self/stat), or -1. */
    public static long minorFaults() {
        return statField(10);
    }

    /** User CPU time so far, all threads, in milliseconds, or -1. */
    public static double userCpuMs() {
        long ticks = statField(14);
        return ticks < 0 ? -1 : ticks * MS_PER_TICK;
    }

    /** System (kernel) CPU time so far, all threads, in milliseconds, or -1. */
    public static double systemCpuMs() {
        long ticks = statField(15);
        return ticks < 0 ? -1 : ticks * MS_PER_TICK;
    }

    private static long statField(int oneBased) {
        try {
            String s = Files.readString(STAT);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            String[] rest = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(rest[oneBased - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusNumber(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
