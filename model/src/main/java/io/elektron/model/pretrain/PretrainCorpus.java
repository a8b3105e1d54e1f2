package io.elektron.model.pretrain;

import io.elektron.model.EncoderInput;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pre-training text: plain UTF-8 files read as documents, tokenized once, and packed into sequences of at most
 * {@code maxLength} tokens, each {@code [CLS] ... [SEP]}.
 *
 * <p>Documents: a file holding at least one blank line is read as blank-line-separated documents (the lines of one
 * document joined); a file without blank lines holds one document per line. Packing fills every sequence (as
 * RoBERTa's FULL-SENTENCES): the documents' tokens run on, a {@code [SEP]} between two documents, and are cut every
 * {@code maxLength - 2} tokens, so short texts (tweets, comments) do not pay for padding and a long document spans
 * several sequences. All token types are 0; only the final sequence may be shorter.
 */
public final class PretrainCorpus {
    private PretrainCorpus() {
    }

    /** Reads the documents of each file in order. */
    public static List<String> readDocuments(List<Path> files) throws IOException {
        List<String> docs = new ArrayList<>();
        for (Path f : files) docs.addAll(readDocuments(f));
        return docs;
    }

    public static List<String> readDocuments(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) lines.add(line);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8 text (line " + (lines.size() + 1) + ")", e);
        }
        boolean blankSeparated = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank() && i < lines.size() - 1) {
                blankSeparated = true;
                break;
            }
        }
        List<String> docs = new ArrayList<>();
        if (!blankSeparated) {
            for (String line : lines) if (!line.isBlank()) docs.add(line);
            return docs;
        }
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) {
                if (!current.isEmpty()) docs.add(current.toString());
                current.setLength(0);
            } else {
                if (!current.isEmpty()) current.append('\n');
                current.append(line);
            }
        }
        if (!current.isEmpty()) docs.add(current.toString());
        return docs;
    }

    /** Tokenizes (in parallel, order kept) and packs. */
    public static List<int[]> pack(List<String> documents, WordPieceTokenizer tokenizer, int maxLength) {
        if (maxLength < 3) throw new IllegalArgumentException("max length must be >= 3 ([CLS], a token, [SEP]), got " + maxLength);
        int cls = tokenizer.clsId();
        int sep = tokenizer.sepId();
        if (cls < 0 || sep < 0) throw new IllegalArgumentException("the vocabulary needs [CLS] and [SEP] tokens for pre-training");
        List<int[]> tokenized = documents.parallelStream().map(d -> {
            int[] ids = tokenizer.encodeIds(d); // [CLS] d [SEP]
            return Arrays.copyOfRange(ids, 1, ids.length - 1);
        }).toList();
        int capacity = maxLength - 2;
        List<int[]> out = new ArrayList<>();
        int[] body = new int[capacity];
        int size = 0;
        for (int[] doc : tokenized) {
            if (doc.length == 0) continue;
            // A [SEP] between documents, unless this one starts a sequence.
            if (size > 0) {
                if (size == capacity) {
                    out.add(sequence(cls, body, size, sep));
                    size = 0;
                } else {
                    body[size++] = sep;
                }
            }
            for (int id : doc) {
                if (size == capacity) {
                    out.add(sequence(cls, body, size, sep));
                    size = 0;
                }
                body[size++] = id;
            }
        }
        if (size > 0) out.add(sequence(cls, body, size, sep));
        return out;
    }

    private static int[] sequence(int cls, int[] body, int size, int sep) {
        // A separator that fell at the end of the body would sit next to the closing [SEP].
        while (size > 0 && body[size - 1] == sep) size--;
        int[] s = new int[size + 2];
        s[0] = cls;
        System.arraycopy(body, 0, s, 1, size);
        s[size + 1] = sep;
        return s;
    }

    /** A padded batch (to the longest member), attention 1 on real tokens, token types 0. */
    public static EncoderInput batch(List<int[]> sequences, int padId) {
        int t = 1;
        for (int[] s : sequences) t = Math.max(t, s.length);
        int b = sequences.size();
        int[] ids = new int[b * t];
        int[] mask = new int[b * t];
        Arrays.fill(ids, padId);
        for (int i = 0; i < b; i++) {
            int[] s = sequences.get(i);
            System.arraycopy(s, 0, ids, i * t, s.length);
            Arrays.fill(mask, i * t, i * t + s.length, 1);
        }
        return new EncoderInput(b, t, ids, mask, new int[b * t]);
    }

    /** Number of tokens in the sequences (specials included). */
    public static long tokenCount(List<int[]> sequences) {
        long n = 0;
        for (int[] s : sequences) n += s.length;
        return n;
    }
}
