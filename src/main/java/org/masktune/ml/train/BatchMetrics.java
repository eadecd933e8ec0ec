package org.masktune.ml.train;

import org.masktune.ml.data.ImageSource;

/**
 * Loss and accuracy accumulated over batches. Single-label: accuracy of the argmax; multi-label:
 * share of (image, attribute) pairs where the sign of the logit matches the 0/1 target.
 */
final class BatchMetrics {

    private double lossSum;
    private long images;
    private long correct;
    private long judged;

    /** Adds a batch whose mean loss is {@code meanLoss}; {@code logits} are row-major [indices.length][outputs]. */
    void add(ImageSource set, int[] indices, float[] logits, int outputs, double meanLoss) {
        lossSum += meanLoss * indices.length;
        images += indices.length;
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (set.isMultiLabel()) {
                for (int a = 0; a < outputs; a++) {
                    boolean predicted = logits[k * outputs + a] > 0;
                    boolean actual = set.attributes()[i * outputs + a] != 0;
                    correct += predicted == actual ? 1 : 0;
                }
                judged += outputs;
            } else {
                correct += argmax(logits, k * outputs, outputs) == set.labels()[i] ? 1 : 0;
                judged++;
            }
        }
    }

    double loss() {
        return images == 0 ? Double.NaN : lossSum / images;
    }

    double accuracy() {
        return judged == 0 ? Double.NaN : (double) correct / judged;
    }

    static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Training targets: one-hot rows, or the 0/1 attributes of a multi-label set. */
    static float[] targets(ImageSource set, int[] indices, int outputs) {
        float[] t = new float[indices.length * outputs];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (set.isMultiLabel()) {
                for (int a = 0; a < outputs; a++) {
                    t[k * outputs + a] = set.attributes()[i * outputs + a] != 0 ? 1f : 0f;
                }
            } else {
                t[k * outputs + set.labels()[i]] = 1f;
            }
        }
        return t;
    }

    /** Mean loss of logits {@code [k]} against their targets, in double precision (for evaluation). */
    static double loss(ImageSource set, int image, float[] logits) {
        if (set.isMultiLabel()) {
            double sum = 0;
            for (int a = 0; a < logits.length; a++) {
                double x = logits[a];
                double t = set.attributes()[image * logits.length + a] != 0 ? 1 : 0;
                sum += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
            }
            return sum / logits.length;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sumExp = 0;
        for (float x : logits) {
            sumExp += Math.exp(x - max);
        }
        return max + Math.log(sumExp) - logits[set.labels()[image]];
    }
}
