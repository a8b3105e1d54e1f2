package io.elektron.cli.hub;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubModelIdTest {
    @Test
    void parsesIdsAndRevisions() {
        assertEquals(Optional.of(new HubModelId("google/electra-small-discriminator", "main")),
                HubModelId.parse("google/electra-small-discriminator"));
        assertEquals(Optional.of(new HubModelId("bert-base-uncased", "main")), HubModelId.parse("bert-base-uncased"));
        assertEquals(Optional.of(new HubModelId("org/m.v2_x", "v1.0")), HubModelId.parse("org/m.v2_x@v1.0"));
        assertEquals(Optional.of(new HubModelId("org/m", "refs/pr/1")), HubModelId.parse("org/m@refs/pr/1"));
        assertEquals("models--google--electra-small-discriminator",
                HubModelId.parse("google/electra-small-discriminator").orElseThrow().cacheFolderName());
        assertEquals("models--bert-base-uncased", HubModelId.parse("bert-base-uncased").orElseThrow().cacheFolderName());
        assertTrue(HubModelId.parse("o/m@0123456789abcdef0123456789abcdef01234567").orElseThrow().revisionIsCommit());
        assertFalse(HubModelId.parse("o/m@main").orElseThrow().revisionIsCommit());
        assertEquals("o/m", HubModelId.parse("o/m").orElseThrow().toString());
        assertEquals("o/m@v1", HubModelId.parse("o/m@v1").orElseThrow().toString());
    }

    @Test
    void refusesWhatCannotBeAHubIdOrWouldEscapeTheCache() {
        for (String bad : new String[]{"", "a/b/c", "./model", "/abs/model", "../model", "org//m", "org/m--x", "org/m..x",
                "-org/m", "org/m-", "org/m.git", "org/m@", "org/m@../../x", "org/m@refs//x", "org/m@a b", "org m", "C:\\models\\m"}) {
            assertEquals(Optional.empty(), HubModelId.parse(bad), bad);
        }
    }
}
