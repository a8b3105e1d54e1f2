package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.ops.Losses;

import java.util.SplittableRandom;

/** ELECTRA with the multi-label classification head: logits [B, labels], BCE-with-logits loss. */
public final class ElectraForSequenceClassification extends Module {
    private final ElectraConfig config;
    private final ElectraModel electra;
    private final ClassificationHead classifier;
    private final SeedStream seeds;

    public ElectraForSequenceClassification(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        if (c.numLabels() == 0) throw new IllegalArgumentException("a classifier needs labels: config.json has no id2label");
        this.config = c;
        this.seeds = seeds;
        electra = registerModule("electra", new ElectraModel(c, init, seeds));
        classifier = registerModule("classifier", new ClassificationHead(c, init, seeds));
    }

    /** Encoder outputs and logits, padded execution (HF's, padding positions computed too). */
    public Output forward(EncoderInput in) {
        EncoderOutput enc = electra.forward(in);
        return new Output(enc, classifier.forward(enc.firstTokenStates()));
    }

    /**
     * Encoder outputs and logits, packed execution: only real tokens are computed; the logits equal
     * {@link #forward}'s. What training and inference use.
     */
    public Output forwardPacked(EncoderInput in) {
        EncoderOutput enc = electra.forwardPacked(in);
        return new Output(enc, classifier.forward(enc.firstTokenStates()));
    }

    /** Mean BCE-with-logits over batch x labels; targets [B, labels] floats, posWeight [labels] or null. */
    public static Tensor loss(Tensor logits, Tensor targets, Tensor posWeight) {
        return Losses.bceWithLogits(logits, targets, posWeight);
    }

    public ElectraConfig config() {
        return config;
    }

    public ElectraModel electra() {
        return electra;
    }

    public SeedStream seeds() {
        return seeds;
    }

    /** The encoder's outputs and the classification logits [B, labels]. */
    public record Output(EncoderOutput encoder, Tensor logits) {
    }
}
