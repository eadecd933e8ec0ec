package org.masktune.ml.train;

/** Thrown at a batch end when cancellation was requested; the model holds that batch's weights. */
public class TrainingCancelledException extends RuntimeException {

    private final int epoch;
    private final int batch;

    public TrainingCancelledException(int epoch, int batch) {
        super("training cancelled at epoch " + epoch + ", batch " + batch);
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
