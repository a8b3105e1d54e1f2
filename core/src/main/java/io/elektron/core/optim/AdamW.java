package io.elektron.core.optim;

import io.elektron.core.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW with decoupled weight decay (Loshchilov and Hutter), numerically as {@code torch.optim.AdamW}: per-parameter
 * step counts, the decay applied to the parameter before the Adam step, bias corrections in double.
 *
 * <p>Parameters come in groups with their own weight decay and learning-rate scale: HF excludes biases and LayerNorm
 * weights from decay, and ELECTRA's recipe scales each layer's rate (layer-wise decay). A parameter that received no
 * gradient since the last zeroGrad is skipped, as torch skips parameters whose grad is None.
 */
public final class AdamW {
    /** A set of parameters sharing weight decay and a multiplier on the learning rate. */
    public record ParamGroup(List<Tensor> params, float weightDecay, float lrScale) {
    }

    private final List<ParamGroup> groups;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private float lr;
    private final Map<Tensor, State> state = new IdentityHashMap<>();

    private static final class State {
        final Tensor m;
        final Tensor v;
        long step;

        State(Tensor p) {
            m = Tensor.zerosUnscoped(p.backend(), p.shape());
            v = Tensor.zerosUnscoped(p.backend(), p.shape());
        }
    }

    public AdamW(List<ParamGroup> groups, float lr, float beta1, float beta2, float eps) {
        if (lr < 0 || eps < 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
            throw new IllegalArgumentException("AdamW: invalid hyper-parameters lr=" + lr + " betas=(" + beta1 + ", "
                    + beta2 + ") eps=" + eps);
        }
        this.groups = List.copyOf(groups);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** One group, torch's defaults for betas and eps. */
    public static AdamW of(List<Tensor> params, float lr, float weightDecay) {
        return new AdamW(List.of(new ParamGroup(params, weightDecay, 1f)), lr, 0.9f, 0.999f, 1e-8f);
    }

    public void setLearningRate(float lr) {
        this.lr = lr;
    }

    public float learningRate() {
        return lr;
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    public void step() {
        for (ParamGroup g : groups) {
            float groupLr = lr * g.lrScale();
            for (Tensor p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null || (!p.gradIsDense() && p.gradTouchedRows().length == 0)) continue;
                State s = state.computeIfAbsent(p, State::new);
                s.step++;
                double bc1 = 1.0 - Math.pow(beta1, s.step);
                double bc2 = 1.0 - Math.pow(beta2, s.step);
                p.backend().adamwUpdate(p.numel(), p.storage(), grad.storage(), s.m.storage(), s.v.storage(), groupLr,
                        beta1, beta2, eps, g.weightDecay(), (float) (groupLr / bc1), (float) Math.sqrt(bc2));
            }
        }
    }

    public void zeroGrad() {
        for (ParamGroup g : groups) for (Tensor p : g.params()) p.zeroGrad();
    }

    /** Optimizer state for a checkpoint: per parameter (in group order) its step, m and v. */
    public List<float[][]> exportState() {
        List<float[][]> out = new ArrayList<>();
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                State s = state.get(p);
                out.add(s == null ? null : new float[][]{{s.step}, s.m.toFloatArray(), s.v.toFloatArray()});
            }
        }
        return out;
    }

    /** Restores what {@link #exportState()} produced for the same parameter list. */
    public void importState(List<float[][]> saved) {
        int i = 0;
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                if (i >= saved.size()) throw new IllegalArgumentException("optimizer state has " + saved.size() + " entries, fewer than the parameters");
                float[][] entry = saved.get(i++);
                if (entry == null) {
                    state.remove(p);
                    continue;
                }
                State s = state.computeIfAbsent(p, State::new);
                s.step = (long) entry[0][0];
                s.m.copyFrom(entry[1]);
                s.v.copyFrom(entry[2]);
            }
        }
    }
}
