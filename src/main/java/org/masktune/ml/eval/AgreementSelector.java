package org.masktune.ml.eval;

import java.util.List;

/**
 * The seed project's selective rule: predict only where the ERM model and the MaskTune model agree and the
 * MaskTune model's confidence reaches a threshold.
 */
public final class AgreementSelector {

    /** The seed's threshold for CIFAR-10. */
    public static final double DEFAULT_THRESHOLD = 0.8;

    private AgreementSelector() {
    }

    /**
     * @param classWeights null, or one factor per class: the threshold for a sample predicted as class c is
     *                     {@code threshold · classWeights[c]} (our reading of the seed's per-class weights)
     */
    public static AgreementResult select(float[][] ermProbabilities, float[][] maskTuneProbabilities, int[] labels,
                                         double threshold, double[] classWeights) {
        int n = labels.length;
        if (ermProbabilities.length != n || maskTuneProbabilities.length != n) {
            throw new IllegalArgumentException("both models must score every labelled sample");
        }
        int agreed = 0;
        int accepted = 0;
        int right = 0;
        for (int i = 0; i < n; i++) {
            int erm = Softmax.argmax(ermProbabilities[i]);
            int maskTune = Softmax.argmax(maskTuneProbabilities[i]);
            if (erm != maskTune) {
                continue;
            }
            agreed++;
            double classThreshold = classWeights == null ? threshold : threshold * classWeights[maskTune];
            if (maskTuneProbabilities[i][maskTune] >= classThreshold) {
                accepted++;
                if (maskTune == labels[i]) {
                    right++;
                }
            }
        }
        return new AgreementResult(threshold, n, agreed, accepted, ratio(agreed, n), 1 - ratio(accepted, n),
                accepted == 0 ? Double.NaN : (double) right / accepted);
    }

    /**
     * Multi-label version over sigmoid outputs: accept a sample where both models predict the same value of
     * every attribute ({@link MultiLabelMetrics#positive}, p ≥ 0.5) and the MaskTune model is sure of each
     * one, i.e. its {@link #multiLabelConfidence} reaches the threshold. The metrics on the accepted samples
     * are of the MaskTune model's predictions (the two agree there).
     *
     * @param targets N·A bytes of 0/1 (as ImageSet.attributes())
     */
    public static MultiLabelAgreementResult selectMultiLabel(float[][] ermSigmoid, float[][] maskTuneSigmoid,
                                                             byte[] targets, List<String> names, double threshold) {
        int n = ermSigmoid.length;
        if (maskTuneSigmoid.length != n) {
            throw new IllegalArgumentException("both models must score every sample");
        }
        boolean[] accepted = new boolean[n];
        int agreedCount = 0;
        int acceptedCount = 0;
        for (int i = 0; i < n; i++) {
            if (agreeOnEveryAttribute(ermSigmoid[i], maskTuneSigmoid[i], names.size())) {
                agreedCount++;
                if (multiLabelConfidence(maskTuneSigmoid[i]) >= threshold) {
                    accepted[i] = true;
                    acceptedCount++;
                }
            }
        }
        MultiLabelMetrics onAccepted = MultiLabelMetrics.of(maskTuneSigmoid, targets, names, accepted);
        return new MultiLabelAgreementResult(threshold, n, agreedCount, acceptedCount, ratio(agreedCount, n),
                1 - ratio(acceptedCount, n), onAccepted);
    }

    /**
     * The multi-label rule as a score, like the single-label one in the evaluation: the MaskTune model's
     * {@link #multiLabelConfidence} where both models agree on every attribute, that minus 1 where they do
     * not. Every threshold in (0, 1] then accepts exactly what {@link #selectMultiLabel} accepts at that
     * threshold, and disagreements come last.
     */
    public static float[] multiLabelScores(float[][] ermSigmoid, float[][] maskTuneSigmoid) {
        if (maskTuneSigmoid.length != ermSigmoid.length) {
            throw new IllegalArgumentException("both models must score every sample");
        }
        float[] scores = new float[ermSigmoid.length];
        for (int i = 0; i < scores.length; i++) {
            float confidence = multiLabelConfidence(maskTuneSigmoid[i]);
            scores[i] = agreeOnEveryAttribute(ermSigmoid[i], maskTuneSigmoid[i], maskTuneSigmoid[i].length) ? confidence : confidence - 1f;
        }
        return scores;
    }

    /**
     * A multi-label model's confidence in its whole prediction: that of its least sure attribute, where the
     * confidence in one attribute is max(q, 1 − q) (the max softmax of the two-way choice absent/present).
     */
    public static float multiLabelConfidence(float[] sigmoid) {
        float confidence = 1f;
        for (float q : sigmoid) {
            confidence = Math.min(confidence, Math.max(q, 1 - q));
        }
        return confidence;
    }

    private static boolean agreeOnEveryAttribute(float[] erm, float[] maskTune, int attributes) {
        if (erm.length != attributes || maskTune.length != attributes) {
            throw new IllegalArgumentException("models with " + erm.length + " and " + maskTune.length + " outputs for " + attributes
                    + " attributes");
        }
        for (int j = 0; j < attributes; j++) {
            if (MultiLabelMetrics.positive(erm[j]) != MultiLabelMetrics.positive(maskTune[j])) {
                return false;
            }
        }
        return true;
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
