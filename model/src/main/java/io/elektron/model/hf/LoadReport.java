package io.elektron.model.hf;

import java.util.List;

/**
 * What happened when a checkpoint was loaded into a model, like HF's "Some weights were not used / newly initialized"
 * warnings.
 *
 * @param loaded       model parameter names filled from the checkpoint
 * @param missing      model parameters the checkpoint lacked (left at their initial values)
 * @param unexpected   checkpoint tensors no parameter used
 * @param tied         parameters filled by tying to another (the generator's LM head)
 */
public record LoadReport(List<String> loaded, List<String> missing, List<String> unexpected, List<String> tied) {
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(loaded.size()).append(" tensors loaded");
        if (!missing.isEmpty()) sb.append("; newly initialized (not in the checkpoint): ").append(missing);
        if (!unexpected.isEmpty()) sb.append("; unused checkpoint tensors: ").append(unexpected);
        if (!tied.isEmpty()) sb.append("; tied: ").append(tied);
        return sb.toString();
    }
}
