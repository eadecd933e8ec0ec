package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MultiLabelMetricsTest {

    @Test
    void perAttributePrecisionRecallF1AndAccuracyAtHalf() {
        // a: probs .9 .6 .4 .2 vs targets 1 0 1 0 → pred 1 1 0 0: tp 1, fp 1, fn 1, tn 1 → P = R = F1 = acc = .5
        // b: probs .1 .2 .3 .5 vs targets 0 0 0 1 → pred 0 0 0 1 (0.5 counts as positive) → all 1
        // c: probs all .1 vs targets 1 0 0 0 → nothing predicted: P = 0, R = 0, F1 = 0, acc = .75
        float[][] probs = {
            {0.9f, 0.1f, 0.1f},
            {0.6f, 0.2f, 0.1f},
            {0.4f, 0.3f, 0.1f},
            {0.2f, 0.5f, 0.1f}};
        byte[] targets = {
            1, 0, 1,
            0, 0, 0,
            1, 0, 0,
            0, 1, 0};
        MultiLabelMetrics m = MultiLabelMetrics.of(probs, targets, List.of("a", "b", "c"));

        assertEquals(new AttributeMetrics("a", 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5), m.attributes().get(0));
        assertEquals(new AttributeMetrics("b", 1, 0, 0, 3, 1.0, 1.0, 1.0, 1.0), m.attributes().get(1));
        assertEquals(new AttributeMetrics("c", 0, 0, 1, 3, 0.0, 0.0, 0.0, 0.75), m.attributes().get(2));
        assertEquals(0.5, m.macroF1(), 1e-12);
        assertEquals(2.25 / 3, m.meanAccuracy(), 1e-12);
        assertEquals(4, m.count());
        // only the last sample has all three right
        assertEquals(0.25, m.exactMatchAccuracy(), 1e-12);
        assertArrayEquals(new boolean[] {false, false, false, true}, MultiLabelMetrics.exactMatches(probs, targets, 3));
    }

    @Test
    void noSamplesLeaveEveryRateUndefined() {
        MultiLabelMetrics m = MultiLabelMetrics.of(new float[0][], new byte[0], List.of("a"));

        assertEquals(0, m.count());
        assertTrue(Double.isNaN(m.attributes().get(0).precision()));
        assertTrue(Double.isNaN(m.macroF1()));
        assertTrue(Double.isNaN(m.exactMatchAccuracy()));
    }
}
