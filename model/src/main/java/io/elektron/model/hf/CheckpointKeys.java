package io.elektron.model.hf;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a model parameter may live in a checkpoint. HF accepts an encoder saved with or without its base-model prefix
 * (`electra.embeddings...` or `embeddings...`), and a BERT encoder has the same tensors under `bert.` (old TF ports
 * name LayerNorm parameters gamma/beta).
 */
final class CheckpointKeys {
    private CheckpointKeys() {
    }

    /** Candidate checkpoint keys for a model parameter name, most specific first. */
    static List<String> candidates(String parameterName, boolean modelHasElectraPrefix) {
        List<String> out = new ArrayList<>();
        String bare;
        if (modelHasElectraPrefix && parameterName.startsWith("electra.")) {
            bare = parameterName.substring("electra.".length());
            out.add(parameterName);
            out.add(bare);
        } else if (modelHasElectraPrefix) {
            out.add(parameterName); // a head parameter: only its own name
            return out;
        } else {
            bare = parameterName;
            out.add(bare);
            out.add("electra." + bare);
        }
        out.add("bert." + bare);
        if (bare.endsWith("LayerNorm.weight")) {
            String gamma = bare.substring(0, bare.length() - "weight".length()) + "gamma";
            out.add(gamma);
            out.add("electra." + gamma);
            out.add("bert." + gamma);
        } else if (bare.endsWith("LayerNorm.bias")) {
            String beta = bare.substring(0, bare.length() - "bias".length()) + "beta";
            out.add(beta);
            out.add("electra." + beta);
            out.add("bert." + beta);
        }
        return out;
    }

    /** Buffers and heads that HF checkpoints carry and Elektron has no parameter for, ignored silently. */
    static boolean ignorable(String key) {
        return key.endsWith("embeddings.position_ids") || key.startsWith("bert.pooler.") || key.startsWith("pooler.");
    }
}
