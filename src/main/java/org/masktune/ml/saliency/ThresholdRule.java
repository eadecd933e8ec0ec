package org.masktune.ml.saliency;

/** Which values of a saliency map count as salient. */
public enum ThresholdRule {
    /** MaskTune's rule: values above τ = μ + k·σ of the map's positive values. */
    MEAN_K_STD,
    /** The {@code topFraction} largest values of the map (ties at the cut included). */
    TOP_FRACTION,
    /**
     * Whole salient regions: the pixels above μ + k·σ are seeds, and each seed's 8-connected region of pixels
     * above μ (the mean of the positive values) is masked with it, so a blob is either masked whole or not at all.
     */
    CONNECTED_REGION
}
