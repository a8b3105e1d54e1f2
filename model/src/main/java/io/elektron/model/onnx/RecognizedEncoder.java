package io.elektron.model.onnx;

import java.util.Map;

/**
 * A BERT-family encoder read out of an ONNX graph: its architecture and its weights under HuggingFace names, in HF's
 * layouts (a Linear's weight as [out, in]).
 *
 * @param weights HF name -> values; insertion order is the order of the HF state dict
 */
record RecognizedEncoder(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
                         int maxPositions, int typeVocabSize, float layerNormEps, Map<String, Weight> weights) {

    /** One tensor: shape, outermost first, and row-major values. */
    record Weight(long[] shape, float[] values) {
    }

    String summary() {
        return String.format("BERT-family encoder: %d layers, hidden %d, %d heads, intermediate %d, vocabulary %d,"
                        + " %d positions, %d token types, LayerNorm eps %s, exact GELU", numLayers, hiddenSize, numHeads,
                intermediateSize, vocabSize, maxPositions, typeVocabSize, layerNormEps);
    }
}
