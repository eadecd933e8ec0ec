package org.masktune.ml.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Turns raw uint8 images into the float NCHW tensor a network consumes (normalisation and, for
 * training, augmentation). The result belongs to {@code manager}.
 */
@FunctionalInterface
public interface BatchEncoder {

    NDArray encode(NDManager manager, ImageSet set, int[] indices);
}
