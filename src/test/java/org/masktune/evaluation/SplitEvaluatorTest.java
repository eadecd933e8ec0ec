package org.masktune.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.evaluation.EvaluateEvents.Selective;
import org.masktune.evaluation.EvaluateEvents.SplitResult;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.eval.SelectiveScores;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The evaluation-specific glue on fixed arrays (the metrics themselves are tested in ml.eval). */
class SplitEvaluatorTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void agreementScoreRanksDisagreementsBelowEveryAgreement() {
        float[][] erm = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}};
        float[][] maskTune = {{0.7f, 0.3f}, {0.95f, 0.05f}, {0.55f, 0.45f}};

        SelectiveScores scores = SplitEvaluator.agreementScores(erm, maskTune);

        assertThat(scores.predictions()).containsExactly(0, 0, 0);
        assertThat(scores.confidence()[0]).isEqualTo(0.7f);
        assertThat(scores.confidence()[1]).isEqualTo(0.95f - 1f);   // disagreement: below any agreement
        assertThat(scores.confidence()[2]).isEqualTo(0.55f);
    }

    @Test
    void aPairGetsEveryMethodAndNaNBecomesNull() {
        // class 1 never occurs: its per-class accuracy is NaN and must be stored as null
        ImageSet set = new ImageSet(1, 1, 1, new byte[3], new int[] {0, 0, 0}, new int[] {0, 2, 2}, List.of("a", "b"),
                List.of("g0", "g1", "g2"), null, List.of());
        float[][] erm = {{0.9f, 0.1f}, {0.4f, 0.6f}, {0.8f, 0.2f}};
        float[][] maskTune = {{0.7f, 0.3f}, {0.6f, 0.4f}, {0.3f, 0.7f}};
        EvaluateConfig config = new EvaluateConfig(List.of(new EvaluateConfig.ModelRef(java.util.UUID.randomUUID(), null, null),
                new EvaluateConfig.ModelRef(java.util.UUID.randomUUID(), null, null)), null, null, List.of(100.0, 50.0), 0.65, null);
        SplitEvaluator evaluator = new SplitEvaluator(config, List.of("erm", "masktune"), List.of(erm, maskTune), null, json);

        SplitResult result = evaluator.evaluate("test", 1, set, List.of(erm, maskTune));

        assertThat(result.metrics()).extracting(m -> m.model()).containsExactly("erm", "masktune", "combined");
        JsonNode ermMetrics = result.metrics().get(0).metrics();
        assertThat(ermMetrics.path("accuracy").asDouble()).isEqualTo(2.0 / 3);
        assertThat(ermMetrics.path("perClassAccuracy").get(1).isNull()).isTrue();
        assertThat(ermMetrics.path("worstGroupAccuracy").asDouble()).isEqualTo(0.5);
        JsonNode agreement = result.metrics().get(2).metrics().path("agreement");
        assertThat(agreement.path("agreed").asInt()).isEqualTo(1);      // only sample 0: both say class 0
        assertThat(agreement.path("accepted").asInt()).isEqualTo(1);    // 0.7 >= 0.65

        assertThat(result.selective()).extracting(s -> s.method() + "/" + s.model())
                .containsExactly("max-softmax/erm", "max-softmax/masktune", "product-softmax/combined", "agreement/combined");
        Selective agreementCurve = result.selective().get(3);
        assertThat(agreementCurve.operating().accepted()).isEqualTo(1);
        assertThat(agreementCurve.curve().get(agreementCurve.curve().size() - 1).coverage()).isEqualTo(1.0);
        assertThat(agreementCurve.calibrated()).hasSize(2);
        assertThat(result.selective()).allSatisfy(s -> assertThat(s.operating() == null).isEqualTo(!s.method().equals("agreement")));
    }

    @Test
    void csvNumbersParseBackToTheSameFloat() {
        for (float v : new float[] {0f, 1f, 0.1f, 1e-8f, 0.99999994f, Float.MIN_VALUE, 2.0e-3f, 0.33333334f}) {
            assertThat(Float.parseFloat(EvaluateTask.exact(v))).isEqualTo(v);
        }
    }

    @Test
    void niceCeilingOfTheRiskAxis() {
        assertThat(SvgPlot.niceCeiling(0.013)).isEqualTo(0.02);
        assertThat(SvgPlot.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(SvgPlot.niceCeiling(0.7)).isEqualTo(1.0);
        assertThat(SvgPlot.niceCeiling(0.1)).isEqualTo(0.1);
    }
}
