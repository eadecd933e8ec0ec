package org.masktune.ml.eval;

/**
 * One point of a risk–coverage curve: accept every sample with confidence ≥ {@code threshold}.
 *
 * @param accepted samples accepted at this threshold
 * @param coverage accepted / n
 * @param risk     error rate on the accepted samples
 * @param accuracy 1 − risk
 */
public record RiskCoveragePoint(float threshold, int accepted, double coverage, double risk, double accuracy) {
}
