package org.masktune.masktune;

import org.masktune.ml.saliency.MaskedFractionStats;

/** What a MASKTUNE child reports besides the training events it shares with TRAIN. */
public final class MaskTuneEvents {

    /** Body: a {@link MaskingRound}. */
    public static final String MASKING = "masking";

    private MaskTuneEvents() {
    }

    /**
     * One masking pass.
     *
     * @param squareHitRate for Biased MNIST: the fraction of bias-aligned training images whose square is at
     *                      least half masked; null for other datasets
     */
    public record MaskingRound(int iteration, int images, MaskedFractionStats maskedFraction, double imagesPerSecond,
            Double squareHitRate) {
    }
}
