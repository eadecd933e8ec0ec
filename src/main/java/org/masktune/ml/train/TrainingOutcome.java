package org.masktune.ml.train;

import java.util.List;

/**
 * The result of {@link TrainingLoop#fit}.
 *
 * @param epochs                 every epoch's result, including those done before a resume
 * @param bestEpoch              epoch with the highest validation accuracy
 * @param bestValidationAccuracy that accuracy
 * @param finalState             the state after the last epoch (to fine-tune "from the last checkpoint")
 */
public record TrainingOutcome(List<EpochResult> epochs, int bestEpoch, double bestValidationAccuracy, TrainingState finalState) {

    public TrainingOutcome {
        epochs = List.copyOf(epochs);
    }
}
