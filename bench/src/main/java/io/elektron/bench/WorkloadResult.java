package io.elektron.bench;

import java.util.List;

/**
 * What one workload measured. The JSON names (snake_case) are shared with {@code bench/pytorch/electra_small_bench.py}
 * so {@code run-comparison.sh} can read both.
 *
 * @param workload        inference, training or fgm
 * @param tokensPerStep   batch x seq (no padding)
 * @param stepMs          every measured step, in order
 * @param medianMs        median step time
 * @param tokensPerS      tokensPerStep / median step time
 * @param flopsPerToken   model FLOPs per token of one step (see {@link Workload#flopsPerToken})
 * @param mfu             achieved model FLOP/s over the sgemm rate measured in the same run
 * @param peakRssMb       VmHWM of the process that ran only this workload
 * @param rssAfterWarmupMb VmRSS after the warm-up steps
 * @param rssEndMb        VmRSS after the last step: a step scope that leaks shows as end well above after-warm-up
 * @param gcMs            garbage-collection time during the measured steps
 * @param userCpuMsPerStep CPU time in user space per step, all threads (about threads x step time when busy)
 * @param sysCpuMsPerStep  CPU time in the kernel per step: page faults and unmapping of freshly allocated tensors
 * @param minorFaultsPerStep minor page faults per step (each a 4 KiB page the kernel zeroes on first touch)
 * @param profile         per-op profile (training with --profile), else null
 */
public record WorkloadResult(String workload, int batch, int seq, int tokensPerStep, int warmupSteps,
                             List<Double> stepMs, double medianMs, double minMs, double maxMs, double tokensPerS,
                             double flopsPerToken, double achievedGflops, double mfu, double peakRssMb,
                             double rssAfterWarmupMb, double rssEndMb, double gcMs, double userCpuMsPerStep,
                             double sysCpuMsPerStep, double minorFaultsPerStep, List<ProfileRow> profile) {
}
