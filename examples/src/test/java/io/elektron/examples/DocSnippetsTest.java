package io.elektron.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps docs/internals honest. Every {@code ```java} block must be preceded by {@code <!-- snippet: PATH -->} naming
 * a source file of this repository, and must appear in that file verbatim (up to one uniform indentation): the
 * snippets are therefore compiled, and the ones in tests run with their assertions. Every relative link in the docs
 * must point at a file that exists, so a renamed source file breaks the build instead of the tour.
 */
class DocSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*(\\S+)\\s*-->");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    static Path root() {
        Path root = Path.of(System.getProperty("elektron.root", ".."));
        if (!Files.isDirectory(root.resolve("docs/internals"))) root = Path.of(".");
        return root.toAbsolutePath().normalize();
    }

    /** The chapters, and the README (its Java section's programs are compiled and run the same way). */
    private static List<Path> chapters() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("docs/internals"))) {
            List<Path> docs = new ArrayList<>(s.filter(p -> p.toString().endsWith(".md")).sorted().toList());
            docs.add(root().resolve("README.md"));
            return docs;
        }
    }

    /** A fenced java block of a chapter. */
    record Snippet(Path doc, int line, String source, List<String> lines) {
    }

    static List<Snippet> snippets(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<Snippet> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) continue;
            String source = null;
            for (int j = i - 1; j >= 0; j--) {
                if (lines.get(j).isBlank()) continue;
                Matcher m = MARKER.matcher(lines.get(j));
                if (m.find()) source = m.group(1);
                break;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) end++;
            if (end == lines.size()) fail(doc.getFileName() + ":" + (i + 1) + ": unclosed ```java block");
            out.add(new Snippet(doc, i + 1, source, lines.subList(i + 1, end)));
            i = end;
        }
        return out;
    }

    /** Where {@code snippet} occurs in {@code source} with one extra indentation on every non-blank line, or -1. */
    static int find(List<String> source, List<String> snippet) {
        for (int start = 0; start + snippet.size() <= source.size(); start++) {
            String first = source.get(start);
            if (!first.endsWith(snippet.get(0)) || snippet.get(0).isBlank()) continue;
            String indent = first.substring(0, first.length() - snippet.get(0).length());
            if (!indent.isBlank()) continue;
            boolean all = true;
            for (int k = 0; k < snippet.size() && all; k++) {
                String s = snippet.get(k);
                String line = source.get(start + k);
                all = s.isBlank() ? line.isBlank() : line.equals(indent + s);
            }
            if (all) return start;
        }
        return -1;
    }

    @Test
    void everySnippetIsVerbatimInANamedSource() throws IOException {
        int count = 0;
        List<String> problems = new ArrayList<>();
        for (Path doc : chapters()) {
            for (Snippet s : snippets(doc)) {
                count++;
                String where = doc.getFileName() + ":" + s.line();
                if (s.source() == null) {
                    problems.add(where + ": no <!-- snippet: path --> marker before the block");
                    continue;
                }
                Path src = root().resolve(s.source());
                if (!Files.isRegularFile(src)) {
                    problems.add(where + ": " + s.source() + " does not exist");
                    continue;
                }
                if (s.lines().isEmpty() || find(Files.readAllLines(src), s.lines()) < 0) {
                    problems.add(where + ": the block is not verbatim in " + s.source()
                            + " (first line: '" + (s.lines().isEmpty() ? "" : s.lines().get(0).strip()) + "')");
                }
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
        assertTrue(count >= 15, "expected the tour to hold its snippets, found " + count);
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> docs = new ArrayList<>(chapters());
        for (Path doc : docs) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) continue;
                int hash = target.indexOf('#');
                if (hash >= 0) target = target.substring(0, hash);
                if (!Files.exists(doc.getParent().resolve(target))) broken.add(doc.getFileName() + ": " + m.group(1));
            }
        }
        if (!broken.isEmpty()) fail("broken links:\n" + String.join("\n", broken));
    }

    @Test
    void theCheckerFindsIndentedCopiesAndRejectsEdits() {
        List<String> source = List.of("class A {", "    void f() {", "        int x = 1;", "", "        x++;", "    }", "}");
        assertTrue(find(source, List.of("int x = 1;", "", "x++;")) == 2);
        assertTrue(find(source, List.of("int x = 2;", "", "x++;")) < 0);
        assertTrue(find(source, List.of("int x = 1;", "x++;")) < 0);
    }
}
