package io.elektron.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed and validated against the size of the data section that follows it.
 *
 * <p>Layout of the file: an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON (padded with
 * spaces), then the data section. The JSON maps each tensor name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (offsets relative to the data section) and
 * may hold {@code "__metadata__": {string: string}}.
 *
 * @param entries  the tensors, sorted by their position in the data section (header order among empty tensors)
 * @param metadata {@code __metadata__}, empty if absent
 */
record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {

    /** The key that holds string metadata rather than a tensor. */
    static final String METADATA_KEY = "__metadata__";

    /** One tensor's header record: bytes {@code [begin, end)} of the data section. */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    // Duplicate keys would make "which tensor is this" depend on the parser; trailing garbage means a bad length.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Parses and validates {@code headerBytes}.
     *
     * @param dataSectionSize bytes after the header; every tensor's range must lie inside it
     */
    static SafetensorsHeader parse(Path file, byte[] headerBytes, long dataSectionSize) throws CheckpointFormatException {
        String text = decodeUtf8(file, headerBytes);
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new CheckpointFormatException(file, "header must be a JSON object starting with '{', found "
                    + (text.isEmpty() ? "nothing" : "'" + describeChar(text.charAt(0)) + "'"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file, "header must be a JSON object");
        }

        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                entries.add(parseEntry(file, field.getKey(), field.getValue(), dataSectionSize));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin)); // stable: header order among equal begins
        checkNoOverlap(file, entries);
        return new SafetensorsHeader(List.copyOf(entries), metadata);
    }

    private static String decodeUtf8(Path file, byte[] bytes) throws CheckpointFormatException {
        // String's constructor would silently substitute U+FFFD; a header that is not UTF-8 is a corrupt file.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CheckpointFormatException(file, "header is not valid UTF-8: bad byte 0x"
                    + Integer.toHexString(bytes[in.position()] & 0xff) + " at header offset " + in.position()
                    + " (file offset " + (8 + in.position()) + ")");
        }
        return out.flip().toString();
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) throws CheckpointFormatException {
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, METADATA_KEY + " must be an object of strings, found "
                    + node.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw new CheckpointFormatException(file, METADATA_KEY + "." + field.getKey()
                        + ": expected a string, found " + field.getValue().getNodeType());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSectionSize)
            throws CheckpointFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, where + ": expected an object with dtype, shape and data_offsets, found "
                    + node.getNodeType());
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointFormatException(file, where + ": missing or non-string \"dtype\"");
        }
        DType dtype = DType.fromSafetensorsName(dtypeNode.textValue()).orElseThrow(() -> new CheckpointFormatException(
                file, where + ": unknown or unsupported dtype \"" + dtypeNode.textValue() + "\" (supported: "
                + Arrays.stream(DType.values()).map(DType::safetensorsName).toList() + ")"));
        long[] shape = nonNegativeLongs(file, where, "shape", node.get("shape"), -1);
        long[] offsets = nonNegativeLongs(file, where, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new CheckpointFormatException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] has begin > end");
        }
        if (end > dataSectionSize) {
            throw new CheckpointFormatException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] out of range: the data section has " + dataSectionSize + " bytes (file truncated?)");
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(StoredTensor.numelOf(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, where + ": shape " + Arrays.toString(shape)
                    + " overflows a 64-bit byte count");
        }
        if (end - begin != expectedBytes) {
            throw new CheckpointFormatException(file, where + ": size mismatch: " + dtype.safetensorsName() + " "
                    + Arrays.toString(shape) + " needs " + expectedBytes + " bytes, data_offsets [" + begin + ", " + end
                    + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers that fit a long ({@code length} -1: any length). */
    private static long[] nonNegativeLongs(Path file, String where, String field, JsonNode node, int length)
            throws CheckpointFormatException {
        if (node == null || !node.isArray()) {
            throw new CheckpointFormatException(file, where + ": missing or non-array \"" + field + "\"");
        }
        if (length >= 0 && node.size() != length) {
            throw new CheckpointFormatException(file, where + ": \"" + field + "\" must have " + length
                    + " elements, found " + node.size());
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw new CheckpointFormatException(file, where + ": \"" + field + "\"[" + i
                        + "] must be a non-negative 64-bit integer, found " + element);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, List<Entry> sortedByBegin) throws CheckpointFormatException {
        Entry previous = null;
        for (Entry entry : sortedByBegin) {
            if (entry.begin() == entry.end()) {
                continue; // an empty tensor occupies no bytes and cannot overlap anything
            }
            if (previous != null && entry.begin() < previous.end()) {
                throw new CheckpointFormatException(file, "tensors '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ") and '" + entry.name() + "' [" + entry.begin() + ", " + entry.end()
                        + ") overlap in the data section");
            }
            previous = entry;
        }
    }

    private static String describeChar(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
