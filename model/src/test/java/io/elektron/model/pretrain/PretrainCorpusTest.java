package io.elektron.model.pretrain;

import io.elektron.model.EncoderInput;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainCorpusTest {
    @Test
    void oneDocumentPerLineOrBlankLineSeparated(@TempDir Path dir) throws Exception {
        Path lines = dir.resolve("lines.txt");
        Files.writeString(lines, "first doc\nsecond doc\n\n", StandardCharsets.UTF_8); // a trailing blank line only
        assertEquals(List.of("first doc", "second doc"), PretrainCorpus.readDocuments(lines));
        Path paragraphs = dir.resolve("paragraphs.txt");
        Files.writeString(paragraphs, "a b\nc d\n\n\ne f\n", StandardCharsets.UTF_8);
        assertEquals(List.of("a b\nc d", "e f"), PretrainCorpus.readDocuments(paragraphs));
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[]{'o', 'k', '\n', (byte) 0xff, '\n'});
        var e = assertThrows(java.io.IOException.class, () -> PretrainCorpus.readDocuments(bad));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void packingFillsSequencesWithClsAndSepAndKeepsEveryToken() throws Exception {
        WordPieceTokenizer tokenizer = PretrainRunTest.realVocab();
        List<String> docs = PretrainRunTest.sampleTexts().subList(0, 200);
        int maxLength = 32;
        List<int[]> seqs = PretrainCorpus.pack(docs, tokenizer, maxLength);
        List<Integer> expected = new ArrayList<>();
        for (String d : docs) {
            int[] ids = tokenizer.encodeIds(d);
            for (int i = 1; i < ids.length - 1; i++) expected.add(ids[i]);
        }
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            int[] s = seqs.get(i);
            assertTrue(s.length <= maxLength && s.length >= 3);
            assertEquals(tokenizer.clsId(), s[0]);
            assertEquals(tokenizer.sepId(), s[s.length - 1]);
            if (i < seqs.size() - 1) assertTrue(s.length >= maxLength - 1, "only the last sequence may be short: " + s.length);
            for (int j = 1; j < s.length - 1; j++) if (s[j] != tokenizer.sepId()) got.add(s[j]);
        }
        assertEquals(expected, got, "every document token, in order, once");
    }

    @Test
    void aBatchIsPaddedToItsLongestSequence() {
        EncoderInput in = PretrainCorpus.batch(List.of(new int[]{2, 7, 3}, new int[]{2, 8, 9, 10, 3}), 0);
        assertEquals(5, in.length());
        assertArrayEquals(new int[]{2, 7, 3, 0, 0, 2, 8, 9, 10, 3}, in.inputIds());
        assertArrayEquals(new int[]{1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, in.attentionMask());
    }
}
