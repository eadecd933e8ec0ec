package org.masktune.ml.train;

/** Callbacks of {@link TrainingLoop}, all no-ops by default. Exceptions thrown here stop the run. */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    /** After the optimiser step of batch {@code batch} (1-based) of {@code batches}. */
    default void onBatchEnd(int epoch, int batch, int batches, float loss) {
    }

    /**
     * After validation at the end of an epoch; the place to write checkpoints.
     *
     * @param state   a snapshot to resume from after this epoch
     * @param newBest whether this epoch has the best validation accuracy so far
     */
    default void onEpochEnd(EpochResult result, TrainingState state, boolean newBest) {
    }
}
