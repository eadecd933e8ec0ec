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

    /** Multi-label version over sigmoid outputs; {@code targets} is N·A bytes of 0/1 (as ImageSet.attributes()). */
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
            boolean agree = true;
            boolean confident = true;
            for (int j = 0; j < names.size(); j++) {
                float q = maskTuneSigmoid[i][j];
                agree &= (ermSigmoid[i][j] >= MultiLabelMetrics.THRESHOLD) == (q >= MultiLabelMetrics.THRESHOLD);
                confident &= Math.max(q, 1 - q) >= threshold;
            }
            if (agree) {
                agreedCount++;
                if (confident) {
                    accepted[i] = true;
                    acceptedCount++;
                }
            }
        }
        MultiLabelMetrics onAccepted = MultiLabelMetrics.of(maskTuneSigmoid, targets, names, accepted);
        return new MultiLabelAgreementResult(threshold, n, agreedCount, acceptedCount, ratio(agreedCount, n),
                1 - ratio(acceptedCount, n), onAccepted);
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
