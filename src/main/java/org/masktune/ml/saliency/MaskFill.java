package org.masktune.ml.saliency;

/** What a masked pixel becomes. */
public enum MaskFill {
    /** MaskTune's: black. On a black background this is invisible; inside an object it is a black hole. */
    ZERO,
    /** The training set's per-channel mean colour. */
    DATASET_MEAN,
    /** The per-channel mean of the image's own unmasked pixels. */
    IMAGE_MEAN,
    /** Gaussian noise around the training set's per-channel mean with its standard deviation, seeded per image. */
    NOISE,
    /** The mean of the unmasked pixels in a window around each masked pixel (a normalised box blur). */
    BLUR,
    /**
     * Diffusion from the mask's border inwards: layer by layer, each masked pixel next to a known one takes the mean
     * of its known 8-neighbours. A masked hole then looks like its surroundings: background where the shortcut sat on
     * background, object where it sat on the object.
     */
    INPAINT
}
