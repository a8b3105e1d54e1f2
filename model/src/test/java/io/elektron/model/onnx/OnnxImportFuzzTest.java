package io.elektron.model.onnx;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing (Jazzer) of the ONNX importer's reader and graph recogniser. Contract: any input is either
 * recognised as an encoder or refused with an {@link OnnxFormatException}; any other throwable (an unchecked
 * exception, an {@link OutOfMemoryError} from a lying dims field) or a run over the timeout is a finding.
 *
 * <p>{@code mvn test} runs the committed seeds ({@code OnnxImportFuzzTestInputs/onnxModel/}: all-MiniLM-L6-v2's graph
 * with its weights' bytes removed, so the walk reaches deep before a size check refuses it); {@code JAZZER_FUZZ=1}
 * fuzzes (see docs/reliability.md).
 */
class OnnxImportFuzzTest {
    @DictionaryEntries({"MatMul", "Add", "Gather", "ReduceMean", "Sub", "Pow", "Sqrt", "Div", "Mul", "Softmax", "Reshape",
        "Transpose", "Erf", "Tanh", "LayerNormalization", "Concat", "Constant", "input_ids"})
    @FuzzTest
    @Timeout(10)
    void onnxModel(byte[] file) {
        try {
            OnnxImport.recognize(new ByteArrayInputStream(file), "fuzz.onnx");
        } catch (OnnxFormatException refused) {
            if (!refused.getMessage().startsWith("fuzz.onnx: ")) throw new AssertionError("the message does not name the file: " + refused.getMessage());
        } catch (IOException e) {
            throw new AssertionError("reading from memory cannot fail with an I/O error: " + e, e);
        }
    }
}
