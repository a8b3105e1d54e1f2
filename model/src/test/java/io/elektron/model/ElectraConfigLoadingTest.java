package io.elektron.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading config.json: hostile and malformed files fail with an IOException naming the file and the key. */
class ElectraConfigLoadingTest {
    private static final String BASE = "\"vocab_size\": 120, \"hidden_size\": 32, \"num_hidden_layers\": 2,"
            + " \"num_attention_heads\": 4, \"intermediate_size\": 64";

    @TempDir
    Path directory;

    private Path config(String extraKeys) throws IOException {
        return Files.writeString(directory.resolve("config.json"), "{" + BASE + extraKeys + "}");
    }

    private static String refused(Path file) {
        IOException e = assertThrows(IOException.class, () -> ElectraConfig.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void numLabelsNamesTheLabels() throws IOException {
        assertEquals(List.of("LABEL_0", "LABEL_1", "LABEL_2"), ElectraConfig.load(config(", \"num_labels\": 3")).labelNames());
        assertEquals(List.of(), ElectraConfig.load(config(", \"num_labels\": null")).labelNames());
    }

    /**
     * Found while writing the fuzz target (ElectraConfigFuzzTest): a lying num_labels made loading build that many
     * label names, an OutOfMemoryError for 2000000000 (and for 1e10, which asInt() turned into Integer.MAX_VALUE).
     */
    @Test
    void aLyingNumLabelsIsRefusedBeforeAnyLabelIsBuilt() throws IOException {
        for (String value : new String[] {"2000000000", "1e10", "-1", "\"3\"", "2.5"}) {
            String message = refused(config(", \"num_labels\": " + value));
            assertTrue(message.contains("'num_labels' must be an integer in 0..1000000, got "), message);
        }
    }

    /**
     * Found by fuzzing (ElectraConfigFuzzTest#load, input {@code 00 02 00 ... 00}, 20 bytes): Jackson's encoding
     * detection took it for UCS-4 of an unsupported byte order and threw a bare CharConversionException, "Unsupported
     * UCS-4 endianness (3412) detected", a message that names neither the file nor what it should hold.
     */
    @Test
    void bytesInNoSupportedEncodingNameTheFile() throws IOException {
        byte[] bytes = new byte[20];
        bytes[1] = 2;
        String message = refused(Files.write(directory.resolve("config.json"), bytes));
        assertTrue(message.contains("cannot read as JSON") && message.contains("UCS-4"), message);
    }

    @Test
    void malformedFilesNameTheFileAndTheKey() throws IOException {
        Path notJson = Files.writeString(directory.resolve("config.json"), "{\"vocab_size\": ");
        assertTrue(refused(notJson).contains("not valid JSON"));
        Path array = Files.writeString(directory.resolve("config.json"), "[1, 2]");
        assertTrue(refused(array).contains("expected a JSON object"));
        assertTrue(refused(config(", \"num_attention_heads\": 5")).contains("num_attention_heads"));
        assertTrue(refused(config(", \"hidden_act\": \"relu\"")).contains("hidden_act 'relu'"));
        assertTrue(refused(config(", \"id2label\": {\"0\": \"a\", \"2\": \"c\"}")).contains("id2label is missing id 1"));
        assertTrue(refused(config(", \"pad_token_id\": 120")).contains("pad_token_id"));
    }
}
