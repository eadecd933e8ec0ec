package org.masktune.ml.eval;

/** Single-model selective scores: prediction = argmax p, confidence = max p. */
public final class MaxSoftmax {

    private MaxSoftmax() {
    }

    public static SelectiveScores of(float[][] probabilities) {
        int[] predictions = new int[probabilities.length];
        float[] confidence = new float[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            predictions[i] = Softmax.argmax(probabilities[i]);
            confidence[i] = probabilities[i][predictions[i]];
        }
        return new SelectiveScores(predictions, confidence);
    }
}
