package io.elektron.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads the real GoEmotions dev split from the shared data directory (surefire sets {@code
 * elektron.shared}; {@code /work/shared} otherwise). Skipped when that directory is absent.
 *
 * <p>Expected counts come from the shell, not from the code under test: {@code wc -l dev.tsv}
 * (5426), {@code cut -f2 dev.tsv | tr , '\n' | wc -l} (6380 label occurrences), {@code ... | grep
 * -cx 27} (1766 neutral), {@code ... | grep -cx 16} (13 grief).
 */
class GoEmotionsRealDataTest {

  private static Path originalDir() {
    String shared = System.getProperty("elektron.shared", "/work/shared");
    return Path.of(shared, "data", "goemotions", "original");
  }

  @Test
  void readsTheFullDevSplit() throws Exception {
    Path dev = originalDir().resolve("dev.tsv");
    assumeTrue(Files.isRegularFile(dev),
        "GoEmotions data not found at " + dev + " (shared data directory absent): skipping");

    Dataset dataset = DatasetReader.read(dev);
    assertEquals(5426, dataset.size());
    assertEquals(28, dataset.numLabels());
    assertEquals("admiration", dataset.labelNames().get(0));
    assertEquals("neutral", dataset.labelNames().get(27));
    assertEquals(0, dataset.summary().skippedLines());
    assertEquals(0, dataset.summary().duplicateIds());
    assertEquals(List.of(), dataset.labelsNeverSeen());

    Example first = dataset.examples().get(0);
    assertEquals("Is this in New Orleans?? I really feel like this is New Orleans.", first.text());
    assertArrayEquals(new int[] {27}, first.labelIds());
    assertEquals("edgurhb", first.id());
    assertArrayEquals(new int[] {4, 27}, dataset.examples().get(1).labelIds());
    Example last = dataset.examples().get(5425);
    assertEquals("ed5h3jh", last.id());
    assertArrayEquals(new int[] {18}, last.labelIds());

    long[] positives = dataset.positivesPerLabel();
    long total = 0;
    for (long count : positives) {
      total += count;
    }
    assertEquals(6380, total);
    assertEquals(1766, positives[27]);
    assertEquals(13, positives[16]);
  }
}
