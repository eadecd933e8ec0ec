package org.masktune.ml.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference's coverage calibration for selective classification:
 * sort the validation confidences in descending order; for a target coverage c (percent),
 * k = round(c/100 · N_val) and threshold = sorted[min(k, N_val − 1)]; on the test set accept every sample
 * with confidence ≥ threshold.
 * <p>Rounding: the reference computes {@code round((e_cov / 100) * len(val))} with Python's built-in
 * {@code round}, which rounds half to even (as does {@code np.round}); so does {@link Math#rint}, used here on
 * the same double expression, e.g. 95 % of 10 → 9.5 → 10 but 85 % of 10 → 8.5 → 8. Note that k is used as an
 * index, so c = 100 gives the smallest validation confidence and c < 100 keeps about k + 1 samples.
 * <p>An empty accepted set has accuracy and risk NaN, as the reference's {@code 1 − 0/0}.
 */
public final class CoverageCalibration {

    /** The paper's coverages, in percent. */
    public static final double[] DEFAULT_COVERAGES = {100, 95, 90, 85, 80};

    private CoverageCalibration() {
    }

    /** The validation index k = round-half-even(c/100 · n). */
    public static int index(double coveragePercent, int n) {
        return (int) Math.rint((coveragePercent / 100) * n);
    }

    /** The confidence threshold for {@code coveragePercent} on the validation confidences. */
    public static float threshold(float[] validationConfidence, double coveragePercent) {
        int n = validationConfidence.length;
        if (n == 0) {
            throw new IllegalArgumentException("no validation confidences to calibrate on");
        }
        float[] sorted = validationConfidence.clone();
        Arrays.sort(sorted);
        // ascending → descending position k is ascending position n − 1 − k
        int k = Math.min(index(coveragePercent, n), n - 1);
        return sorted[n - 1 - k];
    }

    /** Calibrates on validation, then measures coverage and selective accuracy on test. */
    public static CoveragePoint evaluate(float[] validationConfidence, float[] testConfidence, boolean[] testCorrect,
                                         double coveragePercent) {
        if (testConfidence.length != testCorrect.length) {
            throw new IllegalArgumentException("test confidences and correctness differ in length");
        }
        float threshold = threshold(validationConfidence, coveragePercent);
        int accepted = 0;
        int right = 0;
        for (int i = 0; i < testConfidence.length; i++) {
            if (testConfidence[i] >= threshold) {
                accepted++;
                if (testCorrect[i]) {
                    right++;
                }
            }
        }
        double accuracy = accepted == 0 ? Double.NaN : (double) right / accepted;
        return new CoveragePoint(coveragePercent, threshold, accepted, testConfidence.length,
                testConfidence.length == 0 ? Double.NaN : (double) accepted / testConfidence.length,
                accuracy, 1 - accuracy);
    }

    /** {@link #evaluate} for each coverage, in the given order. */
    public static List<CoveragePoint> evaluate(float[] validationConfidence, float[] testConfidence,
                                               boolean[] testCorrect, double... coveragesPercent) {
        List<CoveragePoint> points = new ArrayList<>();
        for (double c : coveragesPercent) {
            points.add(evaluate(validationConfidence, testConfidence, testCorrect, c));
        }
        return points;
    }
}
