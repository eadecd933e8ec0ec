package org.masktune.ml.eval;

/**
 * Binary metrics of one attribute at the 0.5 threshold. Precision (recall) is 0 when nothing is predicted
 * (actually) positive, and F1 is 0 when both are 0 — scikit-learn's {@code zero_division=0}. Over no samples
 * at all (e.g. a selector that accepted none) every rate is undefined: NaN, as accuracy.
 */
public record AttributeMetrics(String name, int truePositives, int falsePositives, int falseNegatives,
                               int trueNegatives, double precision, double recall, double f1, double accuracy) {

    static AttributeMetrics of(String name, int tp, int fp, int fn, int tn) {
        int n = tp + fp + fn + tn;
        if (n == 0) {
            return new AttributeMetrics(name, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double accuracy = (double) (tp + tn) / n;
        return new AttributeMetrics(name, tp, fp, fn, tn, precision, recall, f1, accuracy);
    }
}
