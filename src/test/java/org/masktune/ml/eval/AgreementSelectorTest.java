package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementSelectorTest {

    //     ERM argmax  MaskTune argmax (conf)  label
    // i0      0            0 (.90)              0   agree, ≥ .8 → accept ✓
    // i1      1            1 (.85)              0   agree, ≥ .8 → accept ✗
    // i2      2            2 (.70)              2   agree, < .8 → reject
    // i3      0            1 (.95)              1   disagree   → reject
    // i4      2            2 (.80)              2   agree, = .8 → accept ✓
    private static final float[][] ERM = {
        {.6f, .3f, .1f}, {.2f, .7f, .1f}, {.1f, .2f, .7f}, {.5f, .4f, .1f}, {.3f, .1f, .6f}};
    private static final float[][] MASKTUNE = {
        {.90f, .05f, .05f}, {.10f, .85f, .05f}, {.10f, .20f, .70f}, {.03f, .95f, .02f}, {.10f, .10f, .80f}};
    private static final int[] LABELS = {0, 0, 2, 1, 2};

    @Test
    void acceptsWhereModelsAgreeAndMaskTuneIsConfident() {
        AgreementResult r = AgreementSelector.select(ERM, MASKTUNE, LABELS, AgreementSelector.DEFAULT_THRESHOLD, null);
        assertEquals(5, r.total());
        assertEquals(4, r.agreed());
        assertEquals(3, r.accepted());
        assertEquals(0.8, r.agreementRate(), 1e-12);
        assertEquals(0.4, r.rejectionRate(), 1e-12);
        assertEquals(2 / 3.0, r.accuracyOnAccepted(), 1e-12);
    }

    @Test
    void perClassWeightsScaleTheThreshold() {
        // class 1 needs .8·1.2 = .96 (i1 rejected), class 2 only .8·0.8 = .64 (i2 accepted)
        AgreementResult r = AgreementSelector.select(ERM, MASKTUNE, LABELS, 0.8, new double[] {1.0, 1.2, 0.8});
        assertEquals(3, r.accepted());
        assertEquals(1.0, r.accuracyOnAccepted(), 1e-12);
    }

    @Test
    void nothingAcceptedGivesNaNAccuracyAndFullRejection() {
        AgreementResult r = AgreementSelector.select(ERM, MASKTUNE, LABELS, 0.99, null);
        assertEquals(0, r.accepted());
        assertEquals(1.0, r.rejectionRate(), 0.0);
        assertTrue(Double.isNaN(r.accuracyOnAccepted()));
    }

    @Test
    void multiLabelNeedsAgreementOnEveryAttributeAndConfidenceOnEach() {
        // s0 agree, confidences .95 .90 → accept (targets 1 0: tp, tn)
        // s1 attribute b disagrees (.6 vs .3) → reject
        // s2 agree, but max(.7, .3) = .7 < .8 → reject
        // s3 agree, confidences .98 .85 → accept (targets 1 1: a predicted 0 → fn, b tp)
        float[][] erm = {{.9f, .2f}, {.9f, .6f}, {.7f, .1f}, {.1f, .9f}};
        float[][] maskTune = {{.95f, .1f}, {.95f, .3f}, {.7f, .05f}, {.02f, .85f}};
        byte[] targets = {1, 0, 1, 1, 1, 0, 1, 1};
        MultiLabelAgreementResult r = AgreementSelector.selectMultiLabel(erm, maskTune, targets, List.of("a", "b"), 0.8);
        assertEquals(3, r.agreed());
        assertEquals(2, r.accepted());
        assertEquals(0.75, r.agreementRate(), 1e-12);
        assertEquals(0.5, r.rejectionRate(), 1e-12);
        assertEquals(2, r.onAccepted().count());
        assertEquals(new AttributeMetrics("a", 1, 0, 1, 0, 1.0, 0.5, 2 / 3.0, 0.5), r.onAccepted().attributes().get(0));
        assertEquals(new AttributeMetrics("b", 1, 0, 0, 1, 1.0, 1.0, 1.0, 1.0), r.onAccepted().attributes().get(1));
    }
}
