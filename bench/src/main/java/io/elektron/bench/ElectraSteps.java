package io.elektron.bench;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.optim.AdamW;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.adversarial.Fgm;
import io.elektron.model.adversarial.StepContext;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One step of each {@link Workload} on a random-init {@link ElectraForSequenceClassification}, each inside its own
 * {@link TensorScope} so activations and intermediate gradients are freed when the step ends and resident memory stays
 * flat. Parameters, their gradients and AdamW's moments are unscoped and live as long as this object.
 */
public final class ElectraSteps implements AutoCloseable {
    private final ElectraForSequenceClassification model;
    private final AdamW optimizer;
    private final Fgm fgm = new Fgm(1f);
    private final EncoderInput input;
    private final float[] targets; // [B, labels]
    private final int batch;
    private final int labels;
    private double sink;

    /**
     * @param config the model (random init from {@code seed})
     * @param batch  sequences per step, each {@link Workload#SEQ} tokens of random ids with no padding
     */
    public ElectraSteps(ElectraConfig config, int batch, long seed) {
        this.model = new ElectraForSequenceClassification(config, new SplittableRandom(seed), new SeedStream(seed));
        // torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01): one group, as the PyTorch script does.
        this.optimizer = AdamW.of(model.parameters(), 1e-4f, 0.01f);
        this.batch = batch;
        this.labels = config.numLabels();
        int n = batch * Workload.SEQ;
        int[] mask = new int[n];
        Arrays.fill(mask, 1);
        this.input = new EncoderInput(batch, Workload.SEQ, RandomData.ids(n, config.vocabSize(), seed + 1), mask, new int[n]);
        this.targets = RandomData.targets(batch * labels, 0.1f, seed + 2);
    }

    public ElectraForSequenceClassification model() {
        return model;
    }

    public EncoderInput input() {
        return input;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Runs one step of {@code workload}. */
    public void step(Workload workload) {
        switch (workload) {
            case INFERENCE -> inferenceStep();
            case TRAINING -> trainingStep();
            case FGM -> fgmStep();
        }
    }

    public void inferenceStep() {
        model.eval();
        try (GradMode off = GradMode.disabled(); TensorScope step = TensorScope.open()) {
            Tensor logits = model.forward(input).logits();
            sink += logits.get(0, 0);
        }
    }

    public void trainingStep() {
        model.train(true);
        try (TensorScope step = TensorScope.open()) {
            Tensor loss = loss(model.forward(input).logits());
            sink += loss.item();
            loss.backward();
            optimizer.step();
            optimizer.zeroGrad();
        }
    }

    public void fgmStep() {
        model.train(true);
        try (TensorScope step = TensorScope.open()) {
            StepContext ctx = new StepContext(model, model.electra().embeddings(), input,
                    () -> loss(model.forward(input).logits()), 1f);
            sink += fgm.step(ctx).cleanLoss();
            optimizer.step();
            optimizer.zeroGrad();
        }
    }

    /** Mean BCE-with-logits against the fixed random targets (allocated in the current scope). */
    public Tensor loss(Tensor logits) {
        return ElectraForSequenceClassification.loss(logits, Tensor.of(targets, batch, labels), null);
    }

    /** A value that depends on every step's result, so no step can be optimised away. */
    public double sink() {
        return sink;
    }

    @Override
    public void close() {
        model.close();
    }
}
