package org.masktune.ml.train;

import java.util.Map;
import org.masktune.ml.models.Classifier;

/**
 * A checkpoint file read back ({@link CheckpointFile#read}): the model with its parameters loaded, and what came with it.
 *
 * @param optimizerState null when the checkpoint was written without one
 */
public record LoadedModel(
        Classifier classifier, ModelSpec spec, OptimizerState optimizerState, TrainingProgress progress, Map<String, Object> metadata) {

    /** Continue this run: the classifier keeps the loaded weights, optimiser and epoch count resume. */
    public TrainingState resumeState() {
        return new TrainingState(null, optimizerState, progress);
    }
}
