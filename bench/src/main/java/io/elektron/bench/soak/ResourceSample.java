package io.elektron.bench.soak;

import io.elektron.bench.ProcessStats;
import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * One reading of everything a long run could leak: resident memory, the Java heap (after a full GC, so that only live
 * objects count; also what the heap and the JVM's non-heap areas hold), native memory held through JavaCPP (tensor storages, pooled buffers included), open file
 * descriptors, and threads (the operating system's count, which includes native ones such as OpenBLAS's).
 *
 * @param stepMillis mean wall time of the optimizer steps since the previous sample (epoch ends excluded)
 */
record ResourceSample(long step, double elapsedSeconds, double stepMillis, double loss, long rssBytes, long peakRssBytes,
                      long heapUsedBytes, long heapCommittedBytes, long nonHeapUsedBytes, long javacppBytes,
                      long javacppPhysicalBytes, int openFds, int osThreads, int jvmThreads) {

    static final String CSV_HEADER = "step,elapsed_s,step_ms,loss,rss_mib,peak_rss_mib,heap_used_mib,heap_committed_mib,"
            + "nonheap_used_mib,javacpp_mib,javacpp_physical_mib,open_fds,os_threads,jvm_threads";

    static ResourceSample take(long step, double elapsedSeconds, double stepMillis, double loss) {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        // Non-heap: JIT code cache, metaspace, class space. With the committed heap it accounts for the JVM's share of
        // the resident set, so that growth there can be told apart from native tensor memory.
        return new ResourceSample(step, elapsedSeconds, stepMillis, loss, ProcessStats.rssBytes(),
                ProcessStats.peakRssBytes(), heap.getUsed(), heap.getCommitted(), memory.getNonHeapMemoryUsage().getUsed(),
                Pointer.totalBytes(), Pointer.physicalBytes(), ProcessStats.openFileDescriptors(), ProcessStats.threads(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    String toCsv() {
        return String.format(Locale.ROOT, "%d,%.1f,%.3f,%.5f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%d,%d,%d", step,
                elapsedSeconds, stepMillis, loss, mib(rssBytes), mib(peakRssBytes), mib(heapUsedBytes),
                mib(heapCommittedBytes), mib(nonHeapUsedBytes), mib(javacppBytes), mib(javacppPhysicalBytes), openFds,
                osThreads, jvmThreads);
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
