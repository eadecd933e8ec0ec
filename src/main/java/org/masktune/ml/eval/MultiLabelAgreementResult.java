package org.masktune.ml.eval;

/**
 * Outcome of the agreement selector on multi-label outputs: a sample is accepted when both models agree on
 * every attribute (p ≥ 0.5) and every MaskTune confidence max(q, 1 − q) reaches the threshold.
 *
 * @param onAccepted per-attribute precision/recall/F1 over the accepted samples only
 */
public record MultiLabelAgreementResult(double threshold, int total, int agreed, int accepted, double agreementRate,
                                        double rejectionRate, MultiLabelMetrics onAccepted) {
}
