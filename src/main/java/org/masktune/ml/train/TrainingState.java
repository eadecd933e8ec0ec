package org.masktune.ml.train;

import org.masktune.ml.models.ModelParameters;
import java.util.Objects;

/**
 * Everything needed to continue a run: the model's parameters, the optimiser's state and the
 * progress. A run resumed from the state taken after epoch k repeats exactly what the uninterrupted
 * run did in epochs k+1… (same seed and settings).
 *
 * @param parameters DJL parameter bytes of the whole network ({@link ModelParameters#save}), or null to
 *                   keep the parameters the classifier already holds (e.g. just read from a checkpoint)
 * @param optimizer  optimiser state, or null to start with fresh buffers
 * @param progress   epochs done and best so far; the run continues at {@code progress.epoch() + 1}
 */
public record TrainingState(byte[] parameters, OptimizerState optimizer, TrainingProgress progress) {

    public TrainingState {
        Objects.requireNonNull(progress, "progress");
    }

    /**
     * Fine-tuning as the MaskTune code does it: keep the classifier's current weights and the saved
     * optimiser state, but count epochs from 1 again.
     */
    public static TrainingState continueWith(OptimizerState optimizer) {
        return new TrainingState(null, optimizer, TrainingProgress.start());
    }
}
