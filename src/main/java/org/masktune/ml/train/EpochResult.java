package org.masktune.ml.train;

/**
 * What one epoch achieved. Accuracies are fractions in [0, 1]; for multi-label sets the mean
 * per-attribute accuracy. Validation values are NaN when the run has no validation set.
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          mean training loss over the epoch's images (measured while training)
 * @param trainAccuracy      training accuracy measured while training (train mode, before each step)
 * @param validationLoss     mean loss on the validation set in eval mode
 * @param validationAccuracy accuracy on the validation set in eval mode
 * @param learningRate       the rate used throughout the epoch
 * @param seconds            wall time of the epoch, validation included
 * @param imagesPerSecond    training images per second of the training phase alone
 */
public record EpochResult(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double validationLoss,
        double validationAccuracy,
        double learningRate,
        double seconds,
        double imagesPerSecond) {
}
