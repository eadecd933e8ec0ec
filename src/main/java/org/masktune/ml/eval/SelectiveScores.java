package org.masktune.ml.eval;

/** A prediction and a confidence per sample, as used by a selective classifier. */
public record SelectiveScores(int[] predictions, float[] confidence) {

    public SelectiveScores {
        if (predictions.length != confidence.length) {
            throw new IllegalArgumentException(predictions.length + " predictions for " + confidence.length + " confidences");
        }
    }

    /** Whether each prediction equals the label. */
    public boolean[] correct(int[] labels) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + predictions.length + " predictions");
        }
        boolean[] correct = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            correct[i] = predictions[i] == labels[i];
        }
        return correct;
    }
}
