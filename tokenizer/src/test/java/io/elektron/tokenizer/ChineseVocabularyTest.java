package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The real bert-base-chinese vocabulary: 53 duplicated lines, CJK split one char per token. */
class ChineseVocabularyTest {

  @Test
  void loadsDespiteDuplicatesAndMapsEachToItsLastLine() throws Exception {
    List<String> lines = Files.readAllLines(TestResources.chineseVocab());
    Map<String, Integer> first = new HashMap<>();
    Map<String, Integer> last = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      first.putIfAbsent(lines.get(i), i);
      last.put(lines.get(i), i);
    }
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(TestResources.chineseVocab());
    assertEquals(21128, tokenizer.vocabSize(), "id -> token keeps every line");
    int duplicated = 0;
    for (Map.Entry<String, Integer> entry : last.entrySet()) {
      String token = entry.getKey();
      assertEquals(entry.getValue(), tokenizer.vocabulary().id(token), token);
      int firstLine = first.get(token);
      if (firstLine != entry.getValue()) {
        duplicated++;
        assertEquals(token, tokenizer.idToToken(firstLine), "the shadowed line keeps its token");
      }
    }
    assertEquals(53, duplicated);
    // '##0' is one of the duplicates: continuation lookups must use the last line too.
    // ("a0" is spelled a + ##0, since neither "a0" nor a longer piece exists.)
    assertEquals(last.get("##0"), (Integer) tokenizer.encode("a0").inputIds()[2]);
    assertEquals(20112, (int) last.get("##0"));
  }

  @Test
  void duplicatesAreOnlyAWarning() {
    Logger logger = Logger.getLogger(VocabFileReader.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      WordPieceTokenizer.fromVocab(TestResources.chineseVocab());
    } finally {
      logger.removeHandler(handler);
    }
    assertEquals(1, records.size());
    assertEquals(Level.WARNING, records.get(0).getLevel());
  }

  @Test
  void chineseCharactersBecomeOneTokenEach() {
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(TestResources.chineseVocab());
    assertEquals(List.of("我", "爱", "北", "京", "天", "安", "门"), tokenizer.tokenize("我爱北京天安门"));
    assertEquals(List.of("hello", "中", "文", "world", "。"), tokenizer.tokenize("hello中文world。"));
    Encoding encoding = tokenizer.encode("今天天气很好");
    assertEquals(8, encoding.length());
    assertEquals(101, encoding.inputIds()[0]);
    assertEquals(102, encoding.inputIds()[7]);
    for (int i = 1; i <= 6; i++) {
      assertEquals(i - 1, encoding.offsets()[i][0]);
      assertEquals(i, encoding.offsets()[i][1]);
    }
  }

  @Test
  void withoutChineseSplittingIdeographsJoinWords() {
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromVocab(
            TestResources.chineseVocab(),
            TokenizerOptions.uncased().withTokenizeChineseChars(false));
    assertEquals(List.of("我", "##爱"), tokenizer.tokenize("我爱"));
  }

  @Test
  void tinyDuplicateVocabulary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
      throws Exception {
    java.nio.file.Path vocab = folder.resolve("vocab.txt");
    Files.writeString(vocab, "[UNK]\n[CLS]\n[SEP]\nab\n##c\nab\n##c\n");
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(vocab);
    assertEquals(7, tokenizer.vocabSize());
    assertEquals(List.of(1, 5, 6, 2), box(tokenizer.encodeIds("abc")));
    assertEquals("ab", tokenizer.idToToken(3));
    assertTrue(tokenizer.vocabulary().contains("##c"));
  }

  private static List<Integer> box(int[] values) {
    List<Integer> list = new ArrayList<>();
    for (int v : values) {
      list.add(v);
    }
    return list;
  }
}
