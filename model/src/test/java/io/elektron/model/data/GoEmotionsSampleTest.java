package io.elektron.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quickstart sample bundled in the model jar's resources. */
class GoEmotionsSampleTest {

  private static final String SAMPLE = "/io/elektron/model/sample/goemotions-sample/";

  private static Path sampleFile(String name) throws Exception {
    URL url = GoEmotionsSampleTest.class.getResource(SAMPLE + name);
    assertNotNull(url, "missing bundled sample file " + name);
    return Path.of(url.toURI());
  }

  @Test
  void sampleSplitsHaveTheDocumentedSizes() throws Exception {
    Dataset train = DatasetReader.read(sampleFile("train.tsv"));
    Dataset dev = DatasetReader.read(sampleFile("dev.tsv"));
    Dataset test = DatasetReader.read(sampleFile("test.tsv"));
    assertEquals(2000, train.size());
    assertEquals(300, dev.size());
    assertEquals(300, test.size());
    assertEquals(28, train.numLabels());
    // As documented in the sample README.
    assertEquals(List.of(), train.labelsNeverSeen());
    assertEquals(List.of(), dev.labelsNeverSeen());
    assertEquals(List.of("grief", "relief"), test.labelsNeverSeen());
    assertNotNull(sampleFile("LICENSE"));
    assertNotNull(sampleFile("README.md"));
  }

  @Test
  void sampleIsTheHeadOfEachOriginalSplit() throws Exception {
    Path original = Path.of(System.getProperty("elektron.shared", "/work/shared"),
        "data", "goemotions", "original");
    assumeTrue(Files.isDirectory(original),
        "GoEmotions data not found at " + original + " (shared data directory absent): skipping");
    for (String split : List.of("train", "dev", "test")) {
      Dataset sample = DatasetReader.read(sampleFile(split + ".tsv"));
      Dataset full = DatasetReader.read(original.resolve(split + ".tsv"));
      assertEquals(full.examples().subList(0, sample.size()), sample.examples(), split);
    }
  }
}
