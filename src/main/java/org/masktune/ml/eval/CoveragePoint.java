package org.masktune.ml.eval;

/**
 * One calibrated operating point of a selective classifier on the test set.
 *
 * @param targetCoveragePercent the coverage asked for on the validation set, in percent
 * @param threshold             confidence threshold taken from the validation set
 * @param accepted              test samples with confidence ≥ threshold
 * @param total                 test samples
 * @param coverage              accepted / total, in [0, 1]
 * @param selectiveAccuracy     accuracy on the accepted samples; NaN when none is accepted
 * @param selectiveRisk         1 − selectiveAccuracy; NaN when none is accepted (as the reference's 0/0)
 */
public record CoveragePoint(double targetCoveragePercent, float threshold, int accepted, int total,
                            double coverage, double selectiveAccuracy, double selectiveRisk) {
}
