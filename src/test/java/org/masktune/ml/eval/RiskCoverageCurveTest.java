package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RiskCoverageCurveTest {

    /*
     * conf  .9  .8  .8  .7  .7  .7  .5       (given shuffled below)
     * ok     ✓   ✗   ✓   ✓   ✗   ✗   ✓
     * groups: .9 → 1 accepted, 0 errors, risk 0;   .8 → 3 accepted, 1 error, risk 1/3;
     *         .7 → 6 accepted, 3 errors, risk 1/2; .5 → 7 accepted, 3 errors, risk 3/7.
     * AURC = (1·0 + 2·1/3 + 3·1/2 + 1·3/7) / 7 = (109/42) / 7 = 109/294.
     */
    private static final float[] CONF = {.7f, .8f, .5f, .9f, .7f, .8f, .7f};
    private static final boolean[] OK = {true, false, true, true, false, true, false};

    @Test
    void tiesAreAcceptedTogetherOnePointPerDistinctConfidence() {
        RiskCoverageCurve curve = RiskCoverageCurve.of(CONF, OK);
        List<RiskCoveragePoint> p = curve.points();
        assertEquals(4, p.size());
        assertPoint(p.get(0), .9f, 1, 0.0);
        assertPoint(p.get(1), .8f, 3, 1 / 3.0);
        assertPoint(p.get(2), .7f, 6, 0.5);
        assertPoint(p.get(3), .5f, 7, 3 / 7.0);
        assertEquals(1.0, p.get(3).coverage(), 0.0);                 // full coverage is the last point
        assertEquals(109 / 294.0, curve.aurc(), 1e-12);
    }

    @Test
    void aurcMatchesABruteForceOverRandomArraysWithTies() {
        Random random = new Random(12345);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + random.nextInt(300);
            float[] conf = new float[n];
            boolean[] ok = new boolean[n];
            for (int i = 0; i < n; i++) {
                conf[i] = random.nextInt(20) / 20f;      // only 20 values: many ties
                ok[i] = random.nextDouble() < 0.7;
            }
            assertEquals(bruteForceAurc(conf, ok), RiskCoverageCurve.of(conf, ok).aurc(), 1e-12, "trial " + trial);
        }
    }

    /** For each sample, the risk of everything at least as confident; averaged over samples. */
    private static double bruteForceAurc(float[] conf, boolean[] ok) {
        double total = 0;
        for (float threshold : conf) {
            int accepted = 0;
            int errors = 0;
            for (int j = 0; j < conf.length; j++) {
                if (conf[j] >= threshold) {
                    accepted++;
                    errors += ok[j] ? 0 : 1;
                }
            }
            total += (double) errors / accepted;
        }
        return total / conf.length;
    }

    @Test
    void allCorrectHasZeroAreaAndOneConfidenceOnePoint() {
        RiskCoverageCurve curve = RiskCoverageCurve.of(new float[] {.4f, .4f, .4f}, new boolean[] {true, true, false});
        assertEquals(1, curve.points().size());
        assertPoint(curve.points().get(0), .4f, 3, 1 / 3.0);
        assertEquals(1 / 3.0, curve.aurc(), 1e-12);
        assertEquals(0.0, RiskCoverageCurve.of(new float[] {.9f, .1f}, new boolean[] {true, true}).aurc(), 0.0);
    }

    @Test
    void downsampleKeepsEndpointsAndTheArea() {
        int n = 2500;
        float[] conf = new float[n];
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            conf[i] = i / (float) n;
            ok[i] = i % 3 != 0;
        }
        RiskCoverageCurve full = RiskCoverageCurve.of(conf, ok);
        RiskCoverageCurve small = full.downsample(RiskCoverageCurve.STORED_POINTS);
        assertEquals(n, full.points().size());
        assertEquals(1000, small.points().size());
        assertEquals(full.points().get(0), small.points().get(0));
        assertEquals(full.points().get(n - 1), small.points().get(999));
        assertEquals(full.aurc(), small.aurc(), 0.0);
        assertSame(small, small.downsample(1000));
        assertThrows(IllegalArgumentException.class, () -> full.downsample(1));
    }

    private static void assertPoint(RiskCoveragePoint p, float threshold, int accepted, double risk) {
        assertEquals(threshold, p.threshold(), 0f);
        assertEquals(accepted, p.accepted());
        assertEquals(risk, p.risk(), 1e-12);
        assertEquals(1 - risk, p.accuracy(), 1e-12);
    }
}
