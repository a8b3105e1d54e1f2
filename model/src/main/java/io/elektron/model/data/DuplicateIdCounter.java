package io.elektron.model.data;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts examples whose id already appeared. Duplicates are a warning, not an error: they are
 * harmless for training but suggest a file concatenated twice or a train/dev leak.
 */
final class DuplicateIdCounter {

  private final Map<String, Long> firstLineOfId = new HashMap<>();
  private long duplicates;
  private String firstDuplicate;

  void record(String id, long lineNumber) {
    if (id == null) {
      return;
    }
    Long firstLine = firstLineOfId.putIfAbsent(id, lineNumber);
    if (firstLine != null) {
      duplicates++;
      if (firstDuplicate == null) {
        firstDuplicate = "id '" + id + "' on line " + lineNumber + " was first seen on line "
            + firstLine;
      }
    }
  }

  long duplicates() {
    return duplicates;
  }

  String firstDuplicate() {
    return firstDuplicate;
  }
}
