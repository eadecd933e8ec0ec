package org.masktune.ml.saliency;

import ai.djl.ndarray.NDArray;

/** Computes one saliency map per image of a normalised NCHW batch. */
public interface SaliencyMethod {

    /**
     * @param batch normalised NCHW input; temporaries are created in a sub-manager of its manager and
     *              released before returning
     */
    SaliencyBatch compute(NDArray batch);
}
