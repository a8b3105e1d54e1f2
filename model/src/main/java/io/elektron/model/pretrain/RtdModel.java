package io.elektron.model.pretrain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.core.Tensor;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraEmbeddings;
import io.elektron.model.ElectraForMaskedLM;
import io.elektron.model.ElectraForPreTraining;

import java.util.List;
import java.util.SplittableRandom;

/**
 * ELECTRA's two networks wired for replaced-token detection: a small generator (ElectraForMaskedLM) and the
 * discriminator (ElectraForPreTraining) sharing ONE embeddings module — word, position and token-type tables and the
 * embeddings LayerNorm, as Google's original reuses {@code electra/embeddings/*} — with the generator's LM head tied to
 * the shared word matrix. Not shared: the discriminator's embeddings_project, both encoders and both heads.
 *
 * <p>Parameter names are {@code discriminator.<HF name>} and {@code generator.<HF name>}; {@link #parameters()} holds
 * each shared tensor once, under its {@code discriminator.*} name (the first registered), so an optimizer updates it
 * once with the sum of both models' gradients.
 */
public final class RtdModel extends Module {
    private final ElectraForPreTraining discriminator;
    private final ElectraForMaskedLM generator;
    private final SeedStream seeds;

    /** Wires two models (loaded for inference or tests: their dropout seeds are not known here). */
    public RtdModel(ElectraForMaskedLM generator, ElectraForPreTraining discriminator) {
        this(generator, discriminator, null);
    }

    /**
     * Wires two models (fresh or loaded): the generator's own embeddings are dropped and their memory released.
     *
     * @param seeds the stream both models' dropout layers were built with (a trainer checkpoints its position), or null
     * @throws IllegalArgumentException when the embedding tables cannot be shared (vocabulary, embedding size, positions)
     */
    public RtdModel(ElectraForMaskedLM generator, ElectraForPreTraining discriminator, SeedStream seeds) {
        requireShareable(generator.config(), discriminator.config());
        this.seeds = seeds;
        this.discriminator = registerModule("discriminator", discriminator);
        this.generator = registerModule("generator", generator);
        ElectraEmbeddings own = generator.electra().embeddings();
        ElectraEmbeddings shared = discriminator.electra().embeddings();
        if (own != shared) {
            generator.electra().shareEmbeddings(shared);
            // Swapping the module leaves the LM head on the old matrix until it is tied again (as HF's tie_weights).
            generator.tieWeights();
            for (Tensor t : own.parameters()) t.close();
        }
    }

    /** Fresh models with HF's initialisation (weights from {@code seed}), both drawing dropout masks from {@code seeds}. */
    public static RtdModel create(ElectraConfig discriminatorConfig, ElectraConfig generatorConfig, long seed, SeedStream seeds) {
        var discriminator = new ElectraForPreTraining(discriminatorConfig, new SplittableRandom(seed), seeds);
        var generator = new ElectraForMaskedLM(generatorConfig, new SplittableRandom(seed ^ 0x5DEECE66DL), seeds);
        return new RtdModel(generator, discriminator, seeds);
    }

    /**
     * The generator configuration for a discriminator: hidden and intermediate sizes scaled by {@code sizeFraction}
     * (ELECTRA's generator_hidden_size, 1/4 for ELECTRA-Small), the discriminator's head size kept (so heads scale too,
     * at least one), the same number of layers, and the shared embedding size, vocabulary and positions.
     */
    public static ElectraConfig generatorConfig(ElectraConfig d, double sizeFraction) {
        if (!(sizeFraction > 0 && sizeFraction <= 1)) {
            throw new IllegalArgumentException("generator size must be a fraction of the discriminator in (0, 1], got " + sizeFraction);
        }
        int hidden = Math.max(1, (int) Math.round(d.hiddenSize() * sizeFraction));
        int heads = Math.max(1, hidden / d.headSize());
        while (hidden % heads != 0) heads--;
        int intermediate = Math.max(1, (int) Math.round(d.intermediateSize() * sizeFraction));
        ObjectNode raw = d.raw() == null ? null : d.raw().deepCopy();
        if (raw != null) {
            for (String key : List.of("id2label", "label2id", "num_labels", "problem_type", "architectures")) raw.remove(key);
        }
        return new ElectraConfig(d.vocabSize(), d.embeddingSize(), hidden, d.numHiddenLayers(), heads, intermediate,
                d.hiddenAct(), d.hiddenDropoutProb(), d.attentionProbsDropoutProb(), null, d.maxPositionEmbeddings(),
                d.typeVocabSize(), d.initializerRange(), d.layerNormEps(), d.padTokenId(), List.of(), null, raw);
    }

    private static void requireShareable(ElectraConfig g, ElectraConfig d) {
        String problem = null;
        if (g.vocabSize() != d.vocabSize()) problem = "vocab_size " + g.vocabSize() + " vs " + d.vocabSize();
        else if (g.embeddingSize() != d.embeddingSize()) problem = "embedding_size " + g.embeddingSize() + " vs " + d.embeddingSize();
        else if (g.maxPositionEmbeddings() != d.maxPositionEmbeddings()) problem = "max_position_embeddings " + g.maxPositionEmbeddings() + " vs " + d.maxPositionEmbeddings();
        else if (g.typeVocabSize() != d.typeVocabSize()) problem = "type_vocab_size " + g.typeVocabSize() + " vs " + d.typeVocabSize();
        else if (g.padTokenId() != d.padTokenId()) problem = "pad_token_id " + g.padTokenId() + " vs " + d.padTokenId();
        if (problem != null) {
            throw new IllegalArgumentException("generator and discriminator cannot share embeddings: " + problem
                    + " (generator vs discriminator)");
        }
    }

    /** The dropout seed stream of both models, or null when it is not known. */
    public SeedStream seeds() {
        return seeds;
    }

    public ElectraForPreTraining discriminator() {
        return discriminator;
    }

    public ElectraForMaskedLM generator() {
        return generator;
    }
}
