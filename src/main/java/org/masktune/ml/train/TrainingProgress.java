package org.masktune.ml.train;

import java.util.List;

/**
 * Where a run stands after some epochs.
 *
 * @param epoch                  epochs completed (0 before the first)
 * @param bestEpoch              epoch with the highest validation accuracy so far, 0 when none yet
 * @param bestValidationAccuracy its validation accuracy (0 when none yet; NaN without a validation set)
 * @param history                results of the completed epochs, in order
 */
public record TrainingProgress(int epoch, int bestEpoch, double bestValidationAccuracy, List<EpochResult> history) {

    public TrainingProgress {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** Nothing done yet. */
    public static TrainingProgress start() {
        return new TrainingProgress(0, 0, 0, List.of());
    }
}
