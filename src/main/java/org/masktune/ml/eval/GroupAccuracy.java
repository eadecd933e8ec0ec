package org.masktune.ml.eval;

/** Accuracy on one group (e.g. CelebA's 2·spurious + label) of a test set. */
public record GroupAccuracy(int group, String name, int count, int correct, double accuracy) {
}
