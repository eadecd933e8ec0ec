package org.masktune.ml.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-attribute precision, recall, F1 and accuracy from sigmoid probabilities, predicting positive when
 * p ≥ 0.5, plus their unweighted (macro) means and the exact-match (subset) accuracy: the share of samples
 * with every attribute right. Over no samples every rate is NaN.
 */
public record MultiLabelMetrics(int count, List<AttributeMetrics> attributes, double macroPrecision,
                                double macroRecall, double macroF1, double meanAccuracy, double exactMatchAccuracy) {

    public static final double THRESHOLD = 0.5;

    public MultiLabelMetrics {
        attributes = List.copyOf(attributes);
    }

    /** The prediction of one attribute from its sigmoid output: present when p ≥ 0.5 (0.5 itself counts as present). */
    public static boolean positive(float probability) {
        return probability >= THRESHOLD;
    }

    /**
     * @param probabilities N × A sigmoid outputs
     * @param targets       N·A bytes of 0/1, row-major (as {@code ImageSet.attributes()})
     * @param names         A attribute names
     */
    public static MultiLabelMetrics of(float[][] probabilities, byte[] targets, List<String> names) {
        boolean[] all = new boolean[probabilities.length];
        Arrays.fill(all, true);
        return of(probabilities, targets, names, all);
    }

    /** Whether each sample has every attribute predicted right (its prediction matches the target row exactly). */
    public static boolean[] exactMatches(float[][] probabilities, byte[] targets, int attributes) {
        check(probabilities, targets, attributes);
        boolean[] right = new boolean[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            right[i] = true;
            for (int j = 0; j < attributes; j++) {
                right[i] &= positive(probabilities[i][j]) == (targets[i * attributes + j] != 0);
            }
        }
        return right;
    }

    /** Metrics over the samples where {@code include[i]} is true only (e.g. those a selector accepted). */
    static MultiLabelMetrics of(float[][] probabilities, byte[] targets, List<String> names, boolean[] include) {
        int a = names.size();
        boolean[] exact = exactMatches(probabilities, targets, a);
        if (include.length != probabilities.length) {
            throw new IllegalArgumentException(include.length + " inclusion flags for " + probabilities.length + " samples");
        }
        List<AttributeMetrics> metrics = new ArrayList<>();
        int count = 0;
        int exactCount = 0;
        for (int i = 0; i < include.length; i++) {
            count += include[i] ? 1 : 0;
            exactCount += include[i] && exact[i] ? 1 : 0;
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
                boolean predicted = positive(probabilities[i][j]);
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
        return new MultiLabelMetrics(count, metrics, precision / a, recall / a, f1 / a, accuracy / a,
                count == 0 ? Double.NaN : (double) exactCount / count);
    }

    private static void check(float[][] probabilities, byte[] targets, int attributes) {
        if (targets.length != probabilities.length * attributes) {
            throw new IllegalArgumentException("targets hold " + targets.length + " values, expected "
                    + probabilities.length + " x " + attributes);
        }
        for (float[] row : probabilities) {
            if (row.length != attributes) {
                throw new IllegalArgumentException("a sample has " + row.length + " outputs for " + attributes + " attributes");
            }
        }
    }
}
