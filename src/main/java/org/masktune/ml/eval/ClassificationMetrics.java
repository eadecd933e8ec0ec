package org.masktune.ml.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Single-label classification metrics from predicted probabilities.
 *
 * @param count                  number of samples
 * @param accuracy               fraction with argmax p = label
 * @param perClassAccuracy       recall per true class (NaN for a class with no sample)
 * @param perClassCount          samples per true class
 * @param confusion              confusion[true][predicted] counts
 * @param groups                 per-group accuracy and counts (empty when no groups were given)
 * @param worstGroupAccuracy     minimum accuracy over the groups present (NaN without groups)
 * @param averageGroupAccuracy   group accuracies averaged with the test counts as weights, i.e. the
 *                               accuracy over all grouped samples (NaN without groups)
 * @param meanGroupAccuracy      unweighted mean of the group accuracies present (NaN without groups)
 * @param negativeLogLikelihood  mean −ln p_label, p clamped below at 1e-12
 * @param expectedCalibrationError ECE with {@value #ECE_BINS} equal-width confidence bins (lo, hi]:
 *                               Σ_b |B_b|/n · |accuracy(B_b) − mean confidence(B_b)|, confidence = max p
 */
public record ClassificationMetrics(
        int count,
        double accuracy,
        double[] perClassAccuracy,
        int[] perClassCount,
        int[][] confusion,
        List<GroupAccuracy> groups,
        double worstGroupAccuracy,
        double averageGroupAccuracy,
        double meanGroupAccuracy,
        double negativeLogLikelihood,
        double expectedCalibrationError) {

    public static final int ECE_BINS = 15;
    private static final double PROBABILITY_FLOOR = 1e-12;

    public ClassificationMetrics {
        groups = List.copyOf(groups);
    }

    /**
     * @param probabilities N × numClasses probabilities (rows sum to 1; use {@link #ofLogits} for logits)
     * @param labels        true class per sample
     * @param groups        group per sample, or null
     * @param groupNames    names by group index (may be shorter than the largest index; missing → "group-i")
     */
    public static ClassificationMetrics of(float[][] probabilities, int[] labels, int[] groups,
                                           List<String> groupNames, int numClasses) {
        int n = labels.length;
        if (probabilities.length != n || (groups != null && groups.length != n)) {
            throw new IllegalArgumentException("probabilities, labels and groups must have the same length");
        }
        if (n == 0) {
            throw new IllegalArgumentException("no samples to evaluate");
        }
        int[][] confusion = new int[numClasses][numClasses];
        int correct = 0;
        double nll = 0;
        double[] binConfidence = new double[ECE_BINS];
        int[] binCorrect = new int[ECE_BINS];
        int[] binCount = new int[ECE_BINS];
        for (int i = 0; i < n; i++) {
            float[] p = probabilities[i];
            if (p.length != numClasses) {
                throw new IllegalArgumentException("row " + i + " has " + p.length + " classes, expected " + numClasses);
            }
            int predicted = Softmax.argmax(p);
            boolean right = predicted == labels[i];
            confusion[labels[i]][predicted]++;
            if (right) {
                correct++;
            }
            nll -= Math.log(Math.max(p[labels[i]], PROBABILITY_FLOOR));
            double confidence = p[predicted];
            int bin = (int) Math.ceil(confidence * ECE_BINS) - 1;   // bins (b/15, (b+1)/15]
            bin = Math.max(0, Math.min(ECE_BINS - 1, bin));
            binCount[bin]++;
            binConfidence[bin] += confidence;
            if (right) {
                binCorrect[bin]++;
            }
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (binCount[b] > 0) {
                ece += Math.abs((double) binCorrect[b] / binCount[b] - binConfidence[b] / binCount[b]) * binCount[b] / n;
            }
        }
        double[] perClass = new double[numClasses];
        int[] perClassCount = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            for (int d = 0; d < numClasses; d++) {
                perClassCount[c] += confusion[c][d];
            }
            perClass[c] = perClassCount[c] == 0 ? Double.NaN : (double) confusion[c][c] / perClassCount[c];
        }
        List<GroupAccuracy> groupAccuracies = groups == null ? List.of()
                : groupAccuracies(probabilities, labels, groups, groupNames);
        double worst = Double.NaN;
        double mean = Double.NaN;
        double weighted = Double.NaN;
        if (!groupAccuracies.isEmpty()) {
            worst = Double.POSITIVE_INFINITY;
            double sum = 0;
            int groupCorrect = 0;
            int groupCount = 0;
            for (GroupAccuracy g : groupAccuracies) {
                worst = Math.min(worst, g.accuracy());
                sum += g.accuracy();
                groupCorrect += g.correct();
                groupCount += g.count();
            }
            mean = sum / groupAccuracies.size();
            weighted = (double) groupCorrect / groupCount;
        }
        return new ClassificationMetrics(n, (double) correct / n, perClass, perClassCount, confusion, groupAccuracies,
                worst, weighted, mean, nll / n, ece);
    }

    /** Same as {@link #of} after a row-wise softmax of {@code logits}. */
    public static ClassificationMetrics ofLogits(float[][] logits, int[] labels, int[] groups,
                                                 List<String> groupNames, int numClasses) {
        return of(Softmax.rows(logits), labels, groups, groupNames, numClasses);
    }

    /**
     * Group accuracies averaged with the given weights, e.g. the training set's group proportions
     * ({@link #groupProportions}); groups absent from the test set or from {@code weights} are left out and
     * the weights of the rest are renormalised.
     */
    public double weightedAverage(Map<String, Double> weights) {
        double sum = 0;
        double total = 0;
        for (GroupAccuracy g : groups) {
            Double w = weights.get(g.name());
            if (w != null && w > 0) {
                sum += w * g.accuracy();
                total += w;
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("no positive weight for any group present: " + weights.keySet());
        }
        return sum / total;
    }

    /** Proportion of each group in {@code groups} (e.g. the training split), keyed by group name. */
    public static Map<String, Double> groupProportions(int[] groups, List<String> groupNames) {
        Map<String, Double> proportions = new java.util.LinkedHashMap<>();
        for (int g : groups) {
            proportions.merge(groupName(groupNames, g), 1.0 / groups.length, Double::sum);
        }
        return proportions;
    }

    private static List<GroupAccuracy> groupAccuracies(float[][] probabilities, int[] labels, int[] groups,
                                                       List<String> groupNames) {
        int max = 0;
        for (int g : groups) {
            max = Math.max(max, g);
        }
        int[] count = new int[max + 1];
        int[] correct = new int[max + 1];
        for (int i = 0; i < labels.length; i++) {
            count[groups[i]]++;
            if (Softmax.argmax(probabilities[i]) == labels[i]) {
                correct[groups[i]]++;
            }
        }
        List<GroupAccuracy> result = new ArrayList<>();
        for (int g = 0; g <= max; g++) {
            if (count[g] > 0) {
                result.add(new GroupAccuracy(g, groupName(groupNames, g), count[g], correct[g], (double) correct[g] / count[g]));
            }
        }
        return result;
    }

    private static String groupName(List<String> names, int g) {
        return names != null && g < names.size() ? names.get(g) : "group-" + g;
    }
}
