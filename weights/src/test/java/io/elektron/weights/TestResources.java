package io.elektron.weights;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates files under src/test/resources. */
final class TestResources {
    private TestResources() {
    }

    static Path path(String resource) {
        URL url = TestResources.class.getResource("/" + resource);
        if (url == null) {
            throw new IllegalArgumentException("missing test resource " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
