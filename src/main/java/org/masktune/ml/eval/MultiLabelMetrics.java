package org.masktune.ml.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-attribute precision, recall, F1 and accuracy from sigmoid probabilities, predicting positive when
 * p ≥ 0.5, plus their unweighted (macro) means.
 */
public record MultiLabelMetrics(int count, List<AttributeMetrics> attributes, double macroPrecision,
                                double macroRecall, double macroF1, double meanAccuracy) {

    public static final double THRESHOLD = 0.5;

    public MultiLabelMetrics {
        attributes = List.copyOf(attributes);
    }

    /**
     * @param probabilities N × A sigmoid outputs
     * @param targets       N·A bytes of 0/1, row-major (as {@code ImageSet.attributes()})
     * @param names         A attribute names
     */
    public static MultiLabelMetrics of(float[][] probabilities, byte[] targets, List<String> names) {
        boolean[] all = new boolean[probabilities.length];
        java.util.Arrays.fill(all, true);
        return of(probabilities, targets, names, all);
    }

    /** Metrics over the samples where {@code include[i]} is true only (e.g. those a selector accepted). */
    static MultiLabelMetrics of(float[][] probabilities, byte[] targets, List<String> names, boolean[] include) {
        int a = names.size();
        if (targets.length != probabilities.length * a) {
            throw new IllegalArgumentException("targets hold " + targets.length + " values, expected "
                    + probabilities.length + " x " + a);
        }
        List<AttributeMetrics> metrics = new ArrayList<>();
        int count = 0;
        for (boolean b : include) {
            count += b ? 1 : 0;
        }
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        double accuracy = 0;
        for (int j = 0; j < a; j++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            int tn = 0;
            for (int i = 0; i < probabilities.length; i++) {
                if (!include[i]) {
                    continue;
                }
                boolean predicted = probabilities[i][j] >= THRESHOLD;
                boolean actual = targets[i * a + j] != 0;
                if (predicted && actual) {
                    tp++;
                } else if (predicted) {
                    fp++;
                } else if (actual) {
                    fn++;
                } else {
                    tn++;
                }
            }
            AttributeMetrics m = AttributeMetrics.of(names.get(j), tp, fp, fn, tn);
            metrics.add(m);
            precision += m.precision();
            recall += m.recall();
            f1 += m.f1();
            accuracy += m.accuracy();
        }
        return new MultiLabelMetrics(count, metrics, precision / a, recall / a, f1 / a, accuracy / a);
    }
}
