package io.elektron.weights;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The {@link Checkpoint} both readers return: every tensor already validated and sliced out of one mapped file, so
 * that lookups cannot fail for format reasons after {@code open} returned.
 */
final class MappedCheckpoint implements Checkpoint {
    private final MappedFile file;
    private final Map<String, StoredTensor> tensors;
    private final List<String> names;
    private final Map<String, String> metadata;
    private volatile boolean closed;

    MappedCheckpoint(MappedFile file, LinkedHashMap<String, StoredTensor> tensors, Map<String, String> metadata) {
        this.file = file;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.names = List.copyOf(tensors.keySet());
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    @Override
    public Path file() {
        return file.path();
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public StoredTensor get(String name) {
        if (closed) {
            throw new IllegalStateException(file.path() + " is closed");
        }
        StoredTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new NoSuchElementException(file.path() + ": no tensor '" + name + "' (" + names.size() + " tensors)");
        }
        return tensor;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        closed = true;
        file.close();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + file.path() + ", " + names.size() + " tensors]";
    }
}
