package org.masktune.training;

/** Names and bodies of the TRAIN-specific events the child sends to the service. */
public final class TrainEvents {

    /** Body: an {@link org.masktune.ml.train.EpochResult}. */
    public static final String EPOCH = "epoch";

    private TrainEvents() {
    }
}
