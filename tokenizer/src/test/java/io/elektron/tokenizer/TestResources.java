package io.elektron.tokenizer;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the copies of the shared fixtures and vocabularies under src/test/resources. */
final class TestResources {
  private TestResources() {}

  static Path path(String name) {
    URL url = TestResources.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("test resource missing: " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path uncasedVocab() {
    return path("vocab/bert-base-uncased/vocab.txt");
  }

  static Path chineseVocab() {
    return path("vocab/bert-base-chinese/vocab.txt");
  }

  static Path tinyVocab() {
    return path("tiny/vocab.txt");
  }
}
