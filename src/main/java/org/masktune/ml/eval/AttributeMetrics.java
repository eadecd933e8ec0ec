package org.masktune.ml.eval;

/**
 * Binary metrics of one attribute at the 0.5 threshold. Precision (recall) is 0 when nothing is predicted
 * (actually) positive, and F1 is 0 when both are 0 — scikit-learn's {@code zero_division=0}.
 */
public record AttributeMetrics(String name, int truePositives, int falsePositives, int falseNegatives,
                               int trueNegatives, double precision, double recall, double f1, double accuracy) {

    static AttributeMetrics of(String name, int tp, int fp, int fn, int tn) {
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        int n = tp + fp + fn + tn;
        double accuracy = n == 0 ? Double.NaN : (double) (tp + tn) / n;
        return new AttributeMetrics(name, tp, fp, fn, tn, precision, recall, f1, accuracy);
    }
}
