package org.masktune.ml.eval;

import java.util.List;

/**
 * Selective-classification results of one scoring rule ("product-softmax" or "max-softmax"):
 * the calibrated coverage points and the full (stored: downsampled) risk–coverage curve on test.
 */
public record SelectiveReport(String scoring, List<CoveragePoint> coverage, RiskCoverageCurve riskCoverage) {

    public SelectiveReport {
        coverage = List.copyOf(coverage);
    }

    /**
     * Calibrates {@code coveragesPercent} on validation scores and evaluates them, plus the test curve
     * (downsampled to {@link RiskCoverageCurve#STORED_POINTS}).
     */
    public static SelectiveReport of(String scoring, SelectiveScores validation, SelectiveScores test, int[] testLabels,
                                     double... coveragesPercent) {
        boolean[] correct = test.correct(testLabels);
        return new SelectiveReport(scoring,
                CoverageCalibration.evaluate(validation.confidence(), test.confidence(), correct, coveragesPercent),
                RiskCoverageCurve.of(test.confidence(), correct).downsample(RiskCoverageCurve.STORED_POINTS));
    }
}
