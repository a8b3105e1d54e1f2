package io.elektron.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSourceTest {
    @Test
    void aMalformedMavenArgumentIsAnUnavailableModelNotAHubId() {
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ModelSource.resolve("maven:tiny-model:1.0"));

        assertTrue(e.getMessage().startsWith("--model maven:tiny-model:1.0: maven:tiny-model:1.0 is not a Maven coordinate;"), e.getMessage());
        assertTrue(e.getMessage().contains("maven:GROUP:ARTIFACT:VERSION"), e.getMessage());
    }
}
