package org.masktune.ml.train;

import ai.djl.ndarray.NDArray;

/** Mean losses over a batch, as PyTorch's {@code CrossEntropyLoss} and {@code BCEWithLogitsLoss}. */
final class Losses {

    private Losses() {
    }

    /** −Σ_c t_c · log softmax(x)_c, averaged over the batch; {@code targets} are one-hot rows. */
    static NDArray softmaxCrossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }

    /** max(x, 0) − x·t + log(1 + e^−|x|), the stable form, averaged over all entries. */
    static NDArray binaryCrossEntropyWithLogits(NDArray logits, NDArray targets) {
        return logits.maximum(0).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1).log()).mean();
    }
}
