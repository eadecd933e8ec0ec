package org.masktune.ml.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Turns raw uint8 images into the float NCHW tensor a network consumes (normalisation and, for
 * training, augmentation). The result belongs to {@code manager}. Reads only the images of the batch,
 * so a set in the decoded cache (or masked on the fly) is never copied whole.
 */
@FunctionalInterface
public interface BatchEncoder {

    NDArray encode(NDManager manager, ImageSource set, int[] indices);
}
