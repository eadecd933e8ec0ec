package org.masktune.ml.eval;

/**
 * Outcome of the seed's agreement selector on a labelled set.
 *
 * @param total              samples
 * @param agreed             samples where both models predict the same class
 * @param accepted           agreed samples whose MaskTune confidence also reaches the threshold
 * @param agreementRate      agreed / total
 * @param rejectionRate      1 − accepted / total
 * @param accuracyOnAccepted accuracy of the (common) prediction on the accepted samples; NaN when none
 */
public record AgreementResult(double threshold, int total, int agreed, int accepted, double agreementRate,
                              double rejectionRate, double accuracyOnAccepted) {
}
