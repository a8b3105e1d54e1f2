package io.elektron.model.adversarial;

import io.elektron.core.Backend;
import io.elektron.core.IndexStorage;
import io.elektron.core.PackedSequences;
import io.elektron.model.EncoderInput;
import io.elektron.model.PackedInput;

import java.util.Arrays;

/**
 * Which rows of an embedded sequence belong to which example, whichever way the model ran: padded [B, T, E] (row
 * b * T + t, padding rows belong to none) or packed [N, E] (real tokens only, one example after another). The
 * Miyato-form methods normalise and project per example over these rows, so their perturbations are the same in
 * both executions.
 *
 * @param examples     B
 * @param exampleOfRow per row, the example it belongs to, or -1 for padding
 */
record ExampleRows(int examples, int[] exampleOfRow) {

    /** The rows of an embedded-sequence tensor of the given shape ([B, T, E] padded or [N, E] packed) for {@code in}. */
    static ExampleRows of(EncoderInput in, int[] embeddedShape) {
        if (embeddedShape.length == 3) {
            int[] owner = new int[in.batch() * in.length()];
            for (int row = 0; row < owner.length; row++) {
                owner[row] = in.attentionMask()[row] != 0 ? row / in.length() : -1;
            }
            return new ExampleRows(in.batch(), owner);
        }
        PackedSequences seqs = PackedInput.of(in).sequences();
        if (embeddedShape.length != 2 || embeddedShape[0] != seqs.tokens()) {
            throw new IllegalArgumentException("embedded sequence " + Arrays.toString(embeddedShape) + " is neither the"
                    + " padded [" + in.batch() + ", " + in.length() + ", E] nor the packed [" + seqs.tokens() + ", E]");
        }
        int[] owner = new int[seqs.tokens()];
        for (int s = 0; s < seqs.count(); s++) Arrays.fill(owner, seqs.start(s), seqs.start(s) + seqs.length(s), s);
        return new ExampleRows(seqs.count(), owner);
    }

    int rows() {
        return exampleOfRow.length;
    }

    /** The row owners on {@code backend}, for the per-example kernels (owned by the current scope). */
    IndexStorage upload(Backend backend) {
        return backend.uploadIndices(exampleOfRow);
    }
}
