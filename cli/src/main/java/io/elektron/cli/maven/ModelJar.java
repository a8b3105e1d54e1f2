package io.elektron.cli.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A jar that packages one model as resources, as the langchain4j embedding jars do: exactly one {@code *.onnx} entry and
 * at most one {@code *tokenizer.json} entry (e.g. {@code all-minilm-l6-v2-tokenizer.json}); the classes and the rest
 * are ignored.
 */
record ModelJar(Path jar, String onnxEntry, String tokenizerEntry) {
    static final String ONNX_FILE = "model.onnx";
    static final String TOKENIZER_FILE = "tokenizer.json";

    /** Reads the jar's table of contents and picks the two entries. */
    static ModelJar open(Path jar) throws MavenModelException {
        List<String> onnx = new ArrayList<>();
        List<String> tokenizers = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory()) continue;
                String name = e.getName().toLowerCase(Locale.ROOT);
                if (name.endsWith(".onnx")) onnx.add(e.getName());
                else if (name.endsWith("tokenizer.json")) tokenizers.add(e.getName());
            }
        } catch (ZipException e) {
            throw new MavenModelException(jar + " is not a readable jar (" + e.getMessage() + "); delete it to fetch it again", e);
        } catch (IOException e) {
            throw new MavenModelException("cannot read " + jar + ": " + e, e);
        }
        if (onnx.size() != 1) {
            throw new MavenModelException(jar + " holds " + (onnx.isEmpty() ? "no .onnx entry" : onnx.size()
                    + " .onnx entries " + onnx) + "; a model jar must hold exactly one");
        }
        if (tokenizers.size() > 1) {
            throw new MavenModelException(jar + " holds " + tokenizers.size() + " tokenizer.json entries " + tokenizers
                    + "; a model jar may hold at most one");
        }
        return new ModelJar(jar, onnx.get(0), tokenizers.isEmpty() ? null : tokenizers.get(0));
    }

    /**
     * Copies the model to {@code dir}/model.onnx and the tokenizer (if any) to {@code dir}/tokenizer.json. Fixed names,
     * never the entry names, so an entry like {@code ../x.onnx} cannot write outside {@code dir}.
     */
    Extracted extractTo(Path dir) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Path onnxFile = copy(zip, onnxEntry, dir.resolve(ONNX_FILE));
            Path tokenizerFile = tokenizerEntry == null ? null : copy(zip, tokenizerEntry, dir.resolve(TOKENIZER_FILE));
            return new Extracted(onnxFile, tokenizerFile);
        }
    }

    /** The extracted files; {@code tokenizerJson} is null when the jar has none. */
    record Extracted(Path onnx, Path tokenizerJson) {
    }

    private static Path copy(ZipFile zip, String entry, Path target) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) throw new MavenModelException(zip.getName() + " changed while being read: " + entry + " is gone");
        try (InputStream in = zip.getInputStream(e)) {
            Files.copy(in, target);
        }
        return target;
    }
}
