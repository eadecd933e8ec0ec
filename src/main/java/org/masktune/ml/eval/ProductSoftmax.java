package org.masktune.ml.eval;

/**
 * MaskTune's selective score: s = softmax(p ⊙ q), where p and q are the softmax probabilities of the ERM
 * model and of the MaskTune model; a second softmax is applied to their element-wise product, exactly
 * as the reference's {@code F.softmax(output_probabilities * final_output_probabilities, dim=1)}.
 * Prediction = argmax s, confidence = max s.
 */
public final class ProductSoftmax {

    private ProductSoftmax() {
    }

    public static SelectiveScores of(float[][] ermProbabilities, float[][] maskTuneProbabilities) {
        return MaxSoftmax.of(probabilities(ermProbabilities, maskTuneProbabilities));
    }

    /** The rows s = softmax(p ⊙ q) themselves, e.g. for the combined model's NLL and calibration error. */
    public static float[][] probabilities(float[][] ermProbabilities, float[][] maskTuneProbabilities) {
        if (ermProbabilities.length != maskTuneProbabilities.length) {
            throw new IllegalArgumentException("the two models scored " + ermProbabilities.length + " and "
                    + maskTuneProbabilities.length + " samples");
        }
        float[][] s = new float[ermProbabilities.length][];
        for (int i = 0; i < s.length; i++) {
            float[] p = ermProbabilities[i];
            float[] q = maskTuneProbabilities[i];
            float[] product = new float[p.length];
            for (int c = 0; c < p.length; c++) {
                product[c] = p[c] * q[c];
            }
            s[i] = Softmax.of(product);
        }
        return s;
    }
}
