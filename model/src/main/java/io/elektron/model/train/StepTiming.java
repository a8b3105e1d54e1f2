package io.elektron.model.train;

/**
 * What one optimizer step cost, kept apart from {@link StepRecord} on purpose: a step's losses are reproducible to the
 * bit (steps.csv of two runs with one seed are equal files), its wall-clock time is not. The run folder's
 * {@code step-times.csv} holds these; cost reports take medians over them with the warm-up steps left out.
 *
 * @param step       the optimizer step (1-based, as in steps.csv)
 * @param seconds    wall-clock time from the first micro-batch's forward pass to the end of the optimizer update
 * @param realTokens tokens of the step's micro-batches, padding not counted
 * @param passes     forward (+ backward) passes through the model, counted as the step ran, over all its
 *                   micro-batches: 1 per micro-batch without an adversary, 2 for FGM and the random control, K + 1
 *                   for PGD
 */
public record StepTiming(long step, double seconds, long realTokens, int passes) {

    static final String CSV_HEADER = "step,seconds,real_tokens,passes";

    String toCsv() {
        return step + "," + seconds + "," + realTokens + "," + passes;
    }

    static StepTiming fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 4) throw new IllegalArgumentException("expected 4 columns, got " + f.length + ": " + line);
        return new StepTiming(Long.parseLong(f[0]), Double.parseDouble(f[1]), Long.parseLong(f[2]),
                Integer.parseInt(f[3]));
    }
}
