package org.masktune.masktune;

import org.masktune.ml.saliency.MaskedFractionStats;
import org.masktune.ml.saliency.ShortcutDiagnostics;

/** What a MASKTUNE child reports besides the training events it shares with TRAIN. */
public final class MaskTuneEvents {

    /** Body: a {@link MaskingRound}. */
    public static final String MASKING = "masking";

    private MaskTuneEvents() {
    }

    /**
     * One masking pass.
     *
     * @param rule     the mask rule applied, in words
     * @param shortcut what the masks did to the dataset's known shortcut (Biased MNIST: the patch or colour bias);
     *                 null where no shortcut is known
     */
    public record MaskingRound(int iteration, int images, MaskedFractionStats maskedFraction, double imagesPerSecond,
            String rule, ShortcutDiagnostics shortcut) {
    }
}
