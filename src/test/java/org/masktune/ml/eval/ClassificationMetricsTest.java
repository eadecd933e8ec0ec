package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static final double T = 1e-6;

    //             probabilities         label  pred  conf  group
    // i0  [0.70, 0.20, 0.10]   0      0 ✓   .70    g0
    // i1  [0.10, 0.85, 0.05]   1      1 ✓   .85    g0
    // i2  [0.30, 0.62, 0.08]   0      1 ✗   .62    g1
    // i3  [0.20, 0.15, 0.65]   2      2 ✓   .65    g1
    // i4  [0.50, 0.40, 0.10]   1      0 ✗   .50    g2
    private static final float[][] P = {
        {0.70f, 0.20f, 0.10f},
        {0.10f, 0.85f, 0.05f},
        {0.30f, 0.62f, 0.08f},
        {0.20f, 0.15f, 0.65f},
        {0.50f, 0.40f, 0.10f}};
    private static final int[] LABELS = {0, 1, 0, 2, 1};
    private static final int[] GROUPS = {0, 0, 1, 1, 2};
    private static final List<String> NAMES = List.of("g0", "g1", "g2");

    @Test
    void accuracyPerClassAndConfusion() {
        ClassificationMetrics m = ClassificationMetrics.of(P, LABELS, GROUPS, NAMES, 3);
        assertEquals(5, m.count());
        assertEquals(0.6, m.accuracy(), T);
        assertArrayEquals(new double[] {0.5, 0.5, 1.0}, m.perClassAccuracy(), T);
        assertArrayEquals(new int[] {2, 2, 1}, m.perClassCount());
        assertArrayEquals(new int[] {1, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new int[] {1, 1, 0}, m.confusion()[1]);
        assertArrayEquals(new int[] {0, 0, 1}, m.confusion()[2]);
    }

    @Test
    void groupAccuraciesWorstGroupAndAverages() {
        ClassificationMetrics m = ClassificationMetrics.of(P, LABELS, GROUPS, NAMES, 3);
        assertEquals(List.of(
                new GroupAccuracy(0, "g0", 2, 2, 1.0),
                new GroupAccuracy(1, "g1", 2, 1, 0.5),
                new GroupAccuracy(2, "g2", 1, 0, 0.0)), m.groups());
        assertEquals(0.0, m.worstGroupAccuracy(), T);
        assertEquals(0.6, m.averageGroupAccuracy(), T);     // (2 + 1 + 0) / 5
        assertEquals(0.5, m.meanGroupAccuracy(), T);        // (1 + 0.5 + 0) / 3
        // training-distribution weights 0.5/0.25/0.25 → 0.5·1 + 0.25·0.5 + 0.25·0 = 0.625
        assertEquals(0.625, m.weightedAverage(Map.of("g0", 0.5, "g1", 0.25, "g2", 0.25)), T);
        // a group without weight is left out and the rest renormalised: (0.5 + 0.125) / 0.75
        assertEquals(0.625 / 0.75, m.weightedAverage(Map.of("g0", 0.5, "g1", 0.25)), T);
    }

    @Test
    void worstGroupIsOverGroupsPresentOnly() {
        // group 1 is absent from this subset, named groups 0 and 3 are present
        ClassificationMetrics m = ClassificationMetrics.of(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}},
                new int[] {0, 1, 1}, new int[] {0, 3, 3}, List.of("a", "b", "c", "d"), 2);
        assertEquals(2, m.groups().size());
        assertEquals("d", m.groups().get(1).name());
        assertEquals(0.5, m.worstGroupAccuracy(), T);
    }

    @Test
    void groupProportionsOfATrainingSplit() {
        Map<String, Double> w = ClassificationMetrics.groupProportions(new int[] {0, 0, 0, 1}, List.of("x", "y"));
        assertEquals(0.75, w.get("x"), T);
        assertEquals(0.25, w.get("y"), T);
    }

    @Test
    void negativeLogLikelihoodAndItsClamp() {
        ClassificationMetrics m = ClassificationMetrics.of(P, LABELS, GROUPS, NAMES, 3);
        // p_true = .70, .85, .30, .65, .40 → −mean ln = 0.614048...
        double expected = -(Math.log(0.70) + Math.log(0.85) + Math.log(0.30) + Math.log(0.65) + Math.log(0.40)) / 5;
        assertEquals(0.6140481, expected, 1e-6);
        assertEquals(expected, m.negativeLogLikelihood(), 1e-6);

        ClassificationMetrics zero = ClassificationMetrics.of(new float[][] {{1f, 0f}}, new int[] {1}, null, List.of(), 2);
        assertEquals(-Math.log(1e-12), zero.negativeLogLikelihood(), 1e-9);    // 27.631, not +∞
    }

    @Test
    void expectedCalibrationErrorOnAHandExample() {
        // 15 bins (b/15, (b+1)/15]: .50 → bin 7, .62 and .65 → bin 9, .70 → bin 10, .85 → bin 12.
        // bin 7: {✗ .50} |0 − .50|·1/5 = .100; bin 9: {✗ .62, ✓ .65} |.5 − .635|·2/5 = .054;
        // bin 10: {✓ .70} .30·1/5 = .060; bin 12: {✓ .85} .15·1/5 = .030 → ECE = .244
        ClassificationMetrics m = ClassificationMetrics.of(P, LABELS, GROUPS, NAMES, 3);
        assertEquals(0.244, m.expectedCalibrationError(), 1e-6);
    }

    @Test
    void singleClassAndNoGroups() {
        ClassificationMetrics m = ClassificationMetrics.of(new float[][] {{1f}, {1f}}, new int[] {0, 0}, null, null, 1);
        assertEquals(1.0, m.accuracy(), 0.0);
        assertEquals(0.0, m.negativeLogLikelihood(), 0.0);
        assertEquals(0.0, m.expectedCalibrationError(), 1e-12);
        assertTrue(m.groups().isEmpty());
        assertTrue(Double.isNaN(m.worstGroupAccuracy()));
    }

    @Test
    void logitsGoThroughSoftmax() {
        // softmax(0, ln 3) = (.25, .75)
        ClassificationMetrics m = ClassificationMetrics.ofLogits(new float[][] {{0f, (float) Math.log(3)}},
                new int[] {0}, null, null, 2);
        assertEquals(0.0, m.accuracy(), 0.0);
        assertEquals(-Math.log(0.25), m.negativeLogLikelihood(), 1e-6);
    }

    @Test
    void softmaxIsStableAndArgmaxTakesTheFirstMaximum() {
        assertArrayEquals(new float[] {0.5f, 0.5f}, Softmax.of(new float[] {1000f, 1000f}), 0f);
        assertArrayEquals(new float[] {0.25f, 0.75f}, Softmax.of(new float[] {0f, (float) Math.log(3)}), 1e-7f);
        assertEquals(1, Softmax.argmax(new float[] {0.1f, 0.45f, 0.45f}));
        assertEquals(0.5f, Softmax.sigmoid(0f), 0f);
    }
}
