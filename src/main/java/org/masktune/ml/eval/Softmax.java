package org.masktune.ml.eval;

/** Softmax, sigmoid and argmax on plain float arrays (computed in double, numerically stable). */
public final class Softmax {

    private Softmax() {
    }

    /** softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x). */
    public static float[] of(float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("softmax of an empty vector");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] e = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** Row-wise softmax. */
    public static float[][] rows(float[][] logits) {
        float[][] p = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            p[i] = of(logits[i]);
        }
        return p;
    }

    /** Index of the largest value; the first one on ties (as torch/numpy argmax). */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** Element-wise sigmoid: the probabilities of a multi-label model's outputs. */
    public static float[][] sigmoidRows(float[][] logits) {
        float[][] p = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            p[i] = new float[logits[i].length];
            for (int j = 0; j < p[i].length; j++) {
                p[i][j] = sigmoid(logits[i][j]);
            }
        }
        return p;
    }
}
