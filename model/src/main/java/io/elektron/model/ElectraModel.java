package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.ModuleList;
import io.elektron.core.nn.SeedStream;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ELECTRA encoder (HF ElectraModel): embeddings -> embeddings_project (only when embedding_size != hidden_size)
 * -> encoder.layer.0 .. L-1.
 */
public final class ElectraModel extends Module {
    private final ElectraConfig config;
    private ElectraEmbeddings embeddings;
    private final Linear embeddingsProject; // [H, E] or null
    private final ElectraLayer.Container encoder;
    private final ModuleList<ElectraLayer> layers;

    public ElectraModel(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        this.config = c;
        embeddings = registerModule("embeddings", new ElectraEmbeddings(c, init, seeds));
        embeddingsProject = c.hasEmbeddingsProjection()
                ? registerModule("embeddings_project", new Linear(c.embeddingSize(), c.hiddenSize(), true, init, c.initializerRange()))
                : null;
        encoder = registerModule("encoder", new ElectraLayer.Container());
        layers = encoder.add("layer", new ModuleList<>());
        for (int i = 0; i < c.numHiddenLayers(); i++) layers.add(new ElectraLayer(c, init, seeds));
    }

    /**
     * Padded execution, exactly HF's: every position of [B, T] is computed, padding included, and padded keys are
     * masked out of attention. Outputs are [B, T, ...].
     */
    public EncoderOutput forward(EncoderInput in) {
        Tensor mask = Tensor.of(backend(), in.additiveMask(), in.batch(), in.length());
        Tensor emb = embeddings.forward(in); // [B, T, E]
        return layers(emb, new AttentionLayout.Padded(mask), null);
    }

    /**
     * Packed execution: only the batch's real tokens are computed, as one [N, H] matrix, each sequence attending to
     * itself at its own length. At every real position the outputs equal {@link #forward(EncoderInput)}'s; on
     * GoEmotions about half of a shuffled batch's positions are padding, which this never touches.
     */
    public EncoderOutput forwardPacked(EncoderInput in) {
        return forwardPacked(PackedInput.of(in));
    }

    public EncoderOutput forwardPacked(PackedInput in) {
        Tensor emb = embeddings.forward(in); // [N, E]
        return layers(emb, new AttentionLayout.Packed(in.sequences()), in);
    }

    private EncoderOutput layers(Tensor emb, AttentionLayout layout, PackedInput packed) {
        Tensor h = embeddingsProject == null ? emb : embeddingsProject.forward(emb); // [B, T, H] or [N, H]
        List<Tensor> hidden = new ArrayList<>(layers.size() + 1);
        List<Tensor> attentions = new ArrayList<>(layers.size());
        hidden.add(h);
        boolean inference = !GradMode.isEnabled();
        for (ElectraLayer layer : layers.items()) {
            SelfAttention.Result r;
            if (inference) {
                // Without a graph nothing inside a layer is needed afterwards: free it layer by layer, keeping only
                // the layer's output and attention map, so inference memory is one layer's worth, not twelve.
                try (TensorScope layerScope = TensorScope.open()) {
                    r = layer.forward(h, layout);
                    layerScope.keep(r.context());
                    layerScope.keep(r.probabilities());
                }
            } else {
                r = layer.forward(h, layout);
            }
            h = r.context();
            hidden.add(h);
            attentions.add(r.probabilities());
        }
        hidden.set(hidden.size() - 1, emit(encoder.output(h)));
        return new EncoderOutput(emb, hidden, attentions, packed);
    }

    public ElectraConfig config() {
        return config;
    }

    public ElectraEmbeddings embeddings() {
        return embeddings;
    }

    /** Shares another model's embeddings module (ELECTRA pre-training: generator and discriminator). */
    public void shareEmbeddings(ElectraEmbeddings shared) {
        replaceModule("embeddings", shared);
        this.embeddings = shared;
    }

    public List<ElectraLayer> layers() {
        return layers.items();
    }
}
