package org.masktune.ml.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The full risk–coverage curve of a selective classifier: one point per distinct confidence value, in
 * order of decreasing threshold (increasing coverage). Samples with equal confidence cannot be separated by
 * a threshold, so they are accepted together.
 *
 * <p>{@link #aurc()} is the area under the curve as in Geifman et al. (2019): the mean over the n coverage
 * levels k/n of the selective risk at that coverage, where a sample tied with others takes the risk of
 * its whole tie group — equivalently, the mean over samples i of the risk of the set {conf ≥ conf_i}.
 *
 * @param count  samples
 * @param points the curve, at most one point per distinct confidence (fewer after {@link #downsample})
 * @param aurc   area under the risk–coverage curve of the full curve
 */
public record RiskCoverageCurve(int count, List<RiskCoveragePoint> points, double aurc) {

    /** Points kept when a curve is stored. */
    public static final int STORED_POINTS = 1000;

    public RiskCoverageCurve {
        points = List.copyOf(points);
    }

    public static RiskCoverageCurve of(float[] confidence, boolean[] correct) {
        int n = confidence.length;
        if (correct.length != n) {
            throw new IllegalArgumentException(n + " confidences for " + correct.length + " outcomes");
        }
        if (n == 0) {
            throw new IllegalArgumentException("a risk-coverage curve needs at least one sample");
        }
        for (float c : confidence) {
            if (Float.isNaN(c)) {
                throw new IllegalArgumentException("confidence contains NaN");
            }
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> confidence[i]).reversed());
        List<RiskCoveragePoint> points = new ArrayList<>();
        int errors = 0;
        double areaSum = 0;
        int i = 0;
        while (i < n) {
            float threshold = confidence[order[i]];
            int groupStart = i;
            while (i < n && confidence[order[i]] == threshold) {
                if (!correct[order[i]]) {
                    errors++;
                }
                i++;
            }
            double risk = (double) errors / i;
            areaSum += risk * (i - groupStart);
            points.add(new RiskCoveragePoint(threshold, i, (double) i / n, risk, 1 - risk));
        }
        return new RiskCoverageCurve(n, points, areaSum / n);
    }

    /**
     * A copy with at most {@code maxPoints} points (≥ 2), keeping the first and last point and evenly spaced
     * ones in between; the AURC stays that of the full curve.
     */
    public RiskCoverageCurve downsample(int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("keep at least the two end points, got " + maxPoints);
        }
        if (points.size() <= maxPoints) {
            return this;
        }
        List<RiskCoveragePoint> kept = new ArrayList<>(maxPoints);
        int last = points.size() - 1;
        for (int j = 0; j < maxPoints; j++) {
            kept.add(points.get((int) Math.round((double) j * last / (maxPoints - 1))));
        }
        return new RiskCoverageCurve(count, kept, aurc);
    }
}
