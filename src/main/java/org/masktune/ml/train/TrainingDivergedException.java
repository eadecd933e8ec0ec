package org.masktune.ml.train;

/**
 * Thrown when a batch's loss is NaN or infinite, before that batch's optimiser step (so trainable weights
 * are untouched; BatchNorm running statistics have already seen the batch's forward pass).
 */
public class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final int batch;

    public TrainingDivergedException(int epoch, int batch, float loss) {
        super("training diverged: loss " + loss + " at epoch " + epoch + ", batch " + batch
                + "; lower the learning rate or check the data");
        this.epoch = epoch;
        this.batch = batch;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }
}
