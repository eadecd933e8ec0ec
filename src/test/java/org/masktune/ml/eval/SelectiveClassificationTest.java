package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectiveClassificationTest {

    private static final float T = 1e-6f;

    /*
     * Worked example of the reference procedure. Two classes; s = softmax(p ⊙ q), so for a product (a, b)
     * the confidence is σ(|a − b|).
     * Validation (p; q → p⊙q → confidence, prediction):
     *   v0 [.95 .05]; [.90 .10] → [.855 .005] → σ(.85) = .7005672  0
     *   v1 [.90 .10]; [.95 .05] → [.855 .005] → .7005672           0
     *   v2 [.85 .15]; [.60 .40] → [.510 .060] → σ(.45) = .6106393  0
     *   v3 [.80 .20]; [.80 .20] → [.640 .040] → σ(.60) = .6456563  0
     *   v4 [.70 .30]; [.75 .25] → [.525 .075] → σ(.45) = .6106393  0
     *   v5 [.60 .40]; [.30 .70] → [.180 .280] → σ(.10) = .5249792  1
     *   v6 [.30 .70]; [.20 .80] → [.060 .560] → σ(.50) = .6224593  1
     *   v7 [.20 .80]; [.30 .70] → [.060 .560] → .6224593           1
     *   v8 [.10 .90]; [.05 .95] → [.005 .855] → .7005672           1
     *   v9 [.45 .55]; [.50 .50] → [.225 .275] → σ(.05) = .5124974  1
     * sorted descending: .70057 .70057 .70057 .64566 .62246 .62246 .61064 .61064 .52498 .51250
     * k = round-half-even(c/100 · 10): 100 → 10, 95 → 9.5 → 10, 90 → 9, 85 → 8.5 → 8 (half-up would give 9),
     *   80 → 8, 70 → 7, 50 → 5, 20 → 2; threshold = sorted[min(k, 9)].
     * Test (p; q → confidence, prediction, label):
     *   t0 [.90 .10]; [.80 .20] → σ(.70) = .6681878  0  0 ✓
     *   t1 [.60 .40]; [.60 .40] → σ(.20) = .5498340  0  1 ✗
     *   t2 [.30 .70]; [.40 .60] → σ(.30) = .5744425  1  1 ✓
     *   t3 [.50 .50]; [.55 .45] → σ(.05) = .5124974  0  0 ✓  (equal to v9: accepted at ≥)
     *   t4 [.20 .80]; [.10 .90] → σ(.70) = .6681878  1  0 ✗
     *   t5 [.65 .35]; [.60 .40] → σ(.25) = .5621765  0  0 ✓
     */
    private static final float[][] VAL_P = {{.95f, .05f}, {.9f, .1f}, {.85f, .15f}, {.8f, .2f}, {.7f, .3f},
        {.6f, .4f}, {.3f, .7f}, {.2f, .8f}, {.1f, .9f}, {.45f, .55f}};
    private static final float[][] VAL_Q = {{.9f, .1f}, {.95f, .05f}, {.6f, .4f}, {.8f, .2f}, {.75f, .25f},
        {.3f, .7f}, {.2f, .8f}, {.3f, .7f}, {.05f, .95f}, {.5f, .5f}};
    private static final float[][] TEST_P = {{.9f, .1f}, {.6f, .4f}, {.3f, .7f}, {.5f, .5f}, {.2f, .8f}, {.65f, .35f}};
    private static final float[][] TEST_Q = {{.8f, .2f}, {.6f, .4f}, {.4f, .6f}, {.55f, .45f}, {.1f, .9f}, {.6f, .4f}};
    private static final int[] TEST_LABELS = {0, 1, 1, 0, 0, 0};

    @Test
    void productSoftmaxAppliesASecondSoftmaxToTheProduct() {
        SelectiveScores val = ProductSoftmax.of(VAL_P, VAL_Q);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, val.predictions());
        assertArrayEquals(new float[] {.7005672f, .7005672f, .6106393f, .6456563f, .6106393f,
            .5249792f, .6224593f, .6224593f, .7005672f, .5124974f}, val.confidence(), T);
        SelectiveScores test = ProductSoftmax.of(TEST_P, TEST_Q);
        assertArrayEquals(new int[] {0, 0, 1, 0, 1, 0}, test.predictions());
        assertArrayEquals(new float[] {.6681878f, .5498340f, .5744425f, .5124974f, .6681878f, .5621765f},
                test.confidence(), T);
    }

    @Test
    void coverageCalibrationReproducesTheReferenceOnTheWorkedExample() {
        SelectiveScores val = ProductSoftmax.of(VAL_P, VAL_Q);
        SelectiveScores test = ProductSoftmax.of(TEST_P, TEST_Q);
        List<CoveragePoint> points = CoverageCalibration.evaluate(val.confidence(), test.confidence(),
                test.correct(TEST_LABELS), 100, 95, 90, 85, 80, 70, 50, 20);

        // 100/95/90 → threshold .5124974: all 6 accepted (t3 ties the threshold), 4 correct
        for (int i = 0; i < 3; i++) {
            assertPoint(points.get(i), .5124974f, 6, 1.0, 4 / 6.0);
        }
        // 85 (k = 8, banker's rounding) and 80 → .5249792: t3 rejected, t0 t2 t5 right of 5
        assertPoint(points.get(3), .5249792f, 5, 5 / 6.0, 3 / 5.0);
        assertPoint(points.get(4), .5249792f, 5, 5 / 6.0, 3 / 5.0);
        // 70 → .6106393 and 50 → .6224593: t0 and t4 accepted, one right
        assertPoint(points.get(5), .6106393f, 2, 2 / 6.0, 0.5);
        assertPoint(points.get(6), .6224593f, 2, 2 / 6.0, 0.5);
        // 20 → .7005672 is above every test confidence: nothing accepted, accuracy and risk NaN
        CoveragePoint empty = points.get(7);
        assertEquals(0, empty.accepted());
        assertEquals(0.0, empty.coverage(), 0.0);
        assertTrue(Double.isNaN(empty.selectiveAccuracy()));
        assertTrue(Double.isNaN(empty.selectiveRisk()));
    }

    @Test
    void roundingIsHalfToEvenLikePythonsRound() {
        assertEquals(10, CoverageCalibration.index(95, 10));   // 9.5 → 10
        assertEquals(8, CoverageCalibration.index(85, 10));    // 8.5 → 8
        assertEquals(2, CoverageCalibration.index(50, 5));     // 2.5 → 2
        assertEquals(4, CoverageCalibration.index(70, 5));     // 3.5 → 4
        assertEquals(3, CoverageCalibration.index(95, 3));     // 2.85 → 3
        assertEquals(10, CoverageCalibration.index(100, 10));
    }

    @Test
    void fullCoverageUsesTheSmallestValidationConfidence() {
        float[] val = {0.9f, 0.3f, 0.6f};
        assertEquals(0.3f, CoverageCalibration.threshold(val, 100), 0f);
        CoveragePoint p = CoverageCalibration.evaluate(val, new float[] {0.2f, 0.3f, 0.95f},
                new boolean[] {true, false, true}, 100);
        assertEquals(2, p.accepted());          // 0.2 is below even the smallest validation confidence
        assertEquals(0.5, p.selectiveAccuracy(), 0.0);
        assertEquals(0.5, p.selectiveRisk(), 0.0);
    }

    @Test
    void maxSoftmaxTakesTheLargestProbability() {
        SelectiveScores s = MaxSoftmax.of(new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}});
        assertArrayEquals(new int[] {1, 0}, s.predictions());
        assertArrayEquals(new float[] {0.8f, 0.6f}, s.confidence(), 0f);
        assertArrayEquals(new boolean[] {true, false}, s.correct(new int[] {1, 1}));
    }

    private static void assertPoint(CoveragePoint p, float threshold, int accepted, double coverage, double accuracy) {
        assertEquals(threshold, p.threshold(), T);
        assertEquals(accepted, p.accepted());
        assertEquals(6, p.total());
        assertEquals(coverage, p.coverage(), 1e-12);
        assertEquals(accuracy, p.selectiveAccuracy(), 1e-12);
        assertEquals(1 - accuracy, p.selectiveRisk(), 1e-12);
    }
}
