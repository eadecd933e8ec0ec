package org.masktune.training;

/** Names and bodies of the TRAIN-specific events the child sends to the service. */
public final class TrainEvents {

    /** Body: an {@link org.masktune.ml.train.EpochResult}. */
    public static final String EPOCH = "epoch";

    /** Body: a {@link CheckpointWritten}. */
    public static final String CHECKPOINT = "checkpoint";

    private TrainEvents() {
    }

    /** A checkpoint file the child finished writing; the service uploads it and deletes the file. */
    public record CheckpointWritten(String kind, int epoch, String architecture, String file, String metadata) {
    }
}
