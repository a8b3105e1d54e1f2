package io.elektron.cli;

import io.elektron.model.adversarial.StepStats;
import io.elektron.model.train.TrainingListener.StepEvent;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress bar of a training epoch, drawn as plain lines (no terminal needed). */
class TrainingProgressTest {
    private static final Pattern POSITION_AND_TIMES = Pattern.compile("419/1357 \\((\\d+):(\\d\\d):(\\d\\d) / (\\d+):(\\d\\d):(\\d\\d)\\)");

    @Test
    void aResumedEpochEstimatesTheTimeLeftFromTheStepsTakenSinceTheRestart() throws Exception {
        StringWriter frames = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(false, new PrintWriter(frames), Duration.ZERO);
        long started = System.nanoTime();
        try (TrainingProgress progress = new TrainingProgress(new PrintWriter(new StringWriter()), false, "", display)) {
            progress.onEpochStart(1, 1357, 400);
            Thread.sleep(1000);
            progress.onStep(new StepEvent(1, 419, 1357, 419, 1357, 0.5, 1e-5f, 1.0, 1000, new StepStats(0.5, Double.NaN, 0)));
        }
        double atMostSeconds = (System.nanoTime() - started) / 1e9;
        List<String> lines = frames.toString().lines().toList();
        String last = lines.get(lines.size() - 1);
        Matcher m = POSITION_AND_TIMES.matcher(last);
        assertTrue(m.find(), "the last frame shows the position and the times:\n" + frames);
        long eta = Long.parseLong(m.group(4)) * 3600 + Long.parseLong(m.group(5)) * 60 + Long.parseLong(m.group(6));
        // 19 steps took between 1 s and atMostSeconds; 938 are left: at least 938 / 19 s ~ 49 s (the frame shows whole
        // seconds). Counting the 400 steps before the restart as taken in this process's second would show about 2 s.
        assertTrue(eta >= 48, "estimate " + eta + " s in " + last);
        assertTrue(eta <= atMostSeconds * 938 / 19 + 1, "estimate " + eta + " s in " + last);
    }
}
