package org.masktune.ml.saliency;

import java.util.Arrays;

/**
 * Summary of the per-image masked-pixel fractions; percentiles use linear interpolation (numpy's default).
 */
public record MaskedFractionStats(double mean, double p10, double p50, double p90) {

    public static MaskedFractionStats of(float[] fractions) {
        if (fractions.length == 0) {
            return new MaskedFractionStats(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        float[] sorted = fractions.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (float f : sorted) {
            sum += f;
        }
        return new MaskedFractionStats(sum / sorted.length,
                SaliencyThreshold.quantileOfSorted(sorted, 0.10),
                SaliencyThreshold.quantileOfSorted(sorted, 0.50),
                SaliencyThreshold.quantileOfSorted(sorted, 0.90));
    }
}
