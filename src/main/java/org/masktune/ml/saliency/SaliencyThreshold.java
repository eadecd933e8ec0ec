package org.masktune.ml.saliency;

import java.util.Arrays;

/** Thresholds that decide which saliency-map values count as salient. */
public final class SaliencyThreshold {

    private SaliencyThreshold() {
    }

    /**
     * MaskTune's τ = μ + k·σ over the strictly positive values of {@code map} only, with σ the
     * <b>population</b> standard deviation — the reference uses {@code np.nanmean} / {@code np.nanstd}
     * (ddof = 0) on the map with non-positive values set to NaN. Sums are taken in double.
     *
     * @return τ, or {@code +∞} when the map has no positive value (nothing is masked). A constant positive
     *     map gives σ = 0 and τ = that constant, so nothing exceeds it.
     */
    public static double muPlusKSigma(float[] map, double k) {
        int count = 0;
        double sum = 0;
        for (float v : map) {
            if (v > 0) {
                count++;
                sum += v;
            }
        }
        if (count == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double mean = sum / count;
        double squares = 0;
        for (float v : map) {
            if (v > 0) {
                squares += (v - mean) * (v - mean);
            }
        }
        return mean + k * Math.sqrt(squares / count);
    }

    /**
     * The {@code q}-quantile of {@code values} with linear interpolation between order statistics
     * (numpy's and torch's default): position {@code q·(n−1)} in the sorted values.
     */
    public static double quantile(float[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("quantile of an empty array");
        }
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("q must be in [0, 1], got " + q);
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return quantileOfSorted(sorted, q);
    }

    static double quantileOfSorted(float[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        double fraction = position - lower;
        return sorted[lower] + fraction * (sorted[upper] - (double) sorted[lower]);
    }
}
