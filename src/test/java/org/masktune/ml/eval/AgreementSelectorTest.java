package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    // Multi-label, two attributes (a, b), threshold .75; values exact in binary so every comparison is exact.
    //       ERM          MaskTune       agree?                     confidence min max(q, 1-q)   targets
    // s0  .5   .25    .875 .125    yes (a: .5 counts as present)  .875 → accept               1 0  exact
    // s1  .5   .25    .375 .125    no  (a: ERM .5 present, MT not) .625 → reject               0 0
    // s2  .875 .625   .75  .75     yes                            .75 = threshold → accept     1 0  b wrong
    // s3  .125 .625   .125 .625    yes                            .625 → reject               0 1
    // s4  .5   .5     .5   .5      yes (ties are present)         .5 → reject                 1 1
    private static final float[][] ML_ERM = {{.5f, .25f}, {.5f, .25f}, {.875f, .625f}, {.125f, .625f}, {.5f, .5f}};
    private static final float[][] ML_MASKTUNE = {{.875f, .125f}, {.375f, .125f}, {.75f, .75f}, {.125f, .625f}, {.5f, .5f}};
    private static final byte[] ML_TARGETS = {1, 0, 0, 0, 1, 0, 0, 1, 1, 1};

    @Test
    void multiLabelTiesAtHalfArePresentAndAConfidenceEqualToTheThresholdIsAccepted() {
        MultiLabelAgreementResult r = AgreementSelector.selectMultiLabel(ML_ERM, ML_MASKTUNE, ML_TARGETS, List.of("a", "b"), 0.75);

        assertEquals(5, r.total());
        assertEquals(4, r.agreed());
        assertEquals(2, r.accepted());                       // s0 and s2
        assertEquals(0.8, r.agreementRate(), 1e-12);
        assertEquals(0.6, r.rejectionRate(), 1e-12);
        MultiLabelMetrics m = r.onAccepted();
        assertEquals(2, m.count());
        assertEquals(new AttributeMetrics("a", 2, 0, 0, 0, 1.0, 1.0, 1.0, 1.0), m.attributes().get(0));
        // b: s0 absent and predicted absent, s2 absent but predicted present; recall 0/0 is 0 (zero_division=0)
        assertEquals(new AttributeMetrics("b", 0, 1, 0, 1, 0.0, 0.0, 0.0, 0.5), m.attributes().get(1));
        assertEquals(0.5, m.macroPrecision(), 1e-12);
        assertEquals(0.5, m.macroRecall(), 1e-12);
        assertEquals(0.5, m.macroF1(), 1e-12);
        assertEquals(0.75, m.meanAccuracy(), 1e-12);
        assertEquals(0.5, m.exactMatchAccuracy(), 1e-12);   // s0 only
    }

    @Test
    void multiLabelWithNothingAcceptedHasUndefinedMetricsNotZeros() {
        MultiLabelAgreementResult r = AgreementSelector.selectMultiLabel(ML_ERM, ML_MASKTUNE, ML_TARGETS, List.of("a", "b"), 0.9);

        assertEquals(4, r.agreed());
        assertEquals(0, r.accepted());
        assertEquals(1.0, r.rejectionRate(), 0.0);
        MultiLabelMetrics m = r.onAccepted();
        assertEquals(0, m.count());
        for (AttributeMetrics a : m.attributes()) {
            assertEquals(0, a.truePositives() + a.falsePositives() + a.falseNegatives() + a.trueNegatives());
            assertTrue(Double.isNaN(a.precision()) && Double.isNaN(a.recall()) && Double.isNaN(a.f1()) && Double.isNaN(a.accuracy()));
        }
        assertTrue(Double.isNaN(m.macroPrecision()) && Double.isNaN(m.macroRecall()) && Double.isNaN(m.macroF1()));
        assertTrue(Double.isNaN(m.meanAccuracy()) && Double.isNaN(m.exactMatchAccuracy()));
    }

    @Test
    void multiLabelScoreIsTheConfidenceWhereTheModelsAgreeAndOneLessWhereNot() {
        float[] scores = AgreementSelector.multiLabelScores(ML_ERM, ML_MASKTUNE);

        assertArrayEquals(new float[] {.875f, .625f - 1f, .75f, .625f, .5f}, scores);
        // every threshold in (0, 1] accepts by score exactly what the rule accepts
        for (double t : new double[] {0.01, 0.5, 0.6, 0.625, 0.7, 0.75, 0.8, 0.875, 0.9, 1.0}) {
            int byScore = 0;
            for (float s : scores) {
                byScore += s >= t ? 1 : 0;
            }
            assertEquals(AgreementSelector.selectMultiLabel(ML_ERM, ML_MASKTUNE, ML_TARGETS, List.of("a", "b"), t).accepted(), byScore,
                    "threshold " + t);
        }
    }
}
