package io.elektron.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Progress in files and CI logs: whole plain lines, at most one per interval, never carriage-return frames. */
class PlainProgressLinesTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void printsAtMostOneLinePerIntervalAndTheFinalFrameOnClose() {
        AtomicLong now = new AtomicLong(0);
        StringWriter text = new StringWriter();
        PlainProgressLines lines = new PlainProgressLines(new PrintWriter(text), 10 * SECOND, now::get);
        for (int second = 1; second <= 25; second++) {
            now.set(second * SECOND);
            lines.accept("epoch 1 " + second + "/25");
        }
        lines.close();
        // 10 s and 20 s after the start, then the last frame when the bar closes.
        assertEquals("epoch 1 10/25\nepoch 1 20/25\nepoch 1 25/25\n", text.toString().replace(System.lineSeparator(), "\n"));
        assertFalse(text.toString().contains("\r"));
    }

    @Test
    void aTaskShorterThanTheIntervalPrintsNothing() {
        AtomicLong now = new AtomicLong(0);
        StringWriter text = new StringWriter();
        PlainProgressLines lines = new PlainProgressLines(new PrintWriter(text), 10 * SECOND, now::get);
        now.set(3 * SECOND);
        lines.accept("download vocab.txt 100%");
        lines.close();
        assertEquals("", text.toString(), "the line after it (an epoch's summary, a download's result) says enough");
    }

    @Test
    void longStatisticsAreNotCutToATerminalWidth() {
        AtomicLong now = new AtomicLong(0);
        StringWriter text = new StringWriter();
        PlainProgressLines lines = new PlainProgressLines(new PrintWriter(text), SECOND, now::get);
        String frame = "[fgm] epoch 3  41% [=====>       ] 123/300 (0:01:02 / 0:01:30) loss 0.1234 adv 0.2345 (+0.1111, |r| 1.00)"
                + " 12,345 tok/s and a little more to pass 120 columns";
        now.set(2 * SECOND);
        lines.accept(frame);
        assertEquals(frame + "\n", text.toString().replace(System.lineSeparator(), "\n"));
    }
}
