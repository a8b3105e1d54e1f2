package io.elektron.core.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits Java loops over the machine's cores. The common ForkJoin pool has one thread fewer than there are cores
 * (it expects the caller to help), so Elektron keeps its own pool sized to {@code elektron.threads} or the core count.
 * Work below a grain size runs on the calling thread: forking costs microseconds, small loops cost less.
 */
final class CpuThreads {
    static final int THREADS = Integer.getInteger("elektron.threads", Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, THREADS));

    private CpuThreads() {
    }

    /** A loop body over the half-open range [from, to). */
    interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) in chunks, in parallel when {@code n * costPerItem} is large enough to pay for it.
     */
    static void parallelFor(int n, long costPerItem, RangeBody body) {
        long cost = Math.max(1, costPerItem);
        long work = cost > Long.MAX_VALUE / Math.max(1, n) ? Long.MAX_VALUE : n * cost;
        if (THREADS <= 1 || n < 2 || work < 32_768) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, THREADS * 4);
        POOL.invoke(new Chunk(body, 0, n, Math.max(1, (n + chunks - 1) / chunks)));
    }

    private static final class Chunk extends RecursiveAction {
        private final RangeBody body;
        private final int from;
        private final int to;
        private final int grain;

        Chunk(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Chunk(body, from, mid, grain), new Chunk(body, mid, to, grain));
        }
    }
}
