package org.masktune.evaluation.task;

import org.masktune.evaluation.EvaluateConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.masktune.evaluation.EvaluateEvents.Selective;
import org.masktune.evaluation.EvaluateEvents.SplitResult;
import org.masktune.evaluation.EvaluationPlan.PlannedModel;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.eval.SelectiveScores;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;
import org.masktune.runner.TaskFailedException;
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
    void aMultiLabelPairGetsPerAttributeMetricsAndTheAgreementRuleOnly() {
        // attributes a, b; targets: s0 1 0, s1 0 0, s2 1 0, s3 0 1
        ImageSet set = multiLabel(List.of("a", "b"), new byte[] {1, 0, 0, 0, 1, 0, 0, 1}, 4);
        float[][] erm = {{.5f, .25f}, {.5f, .25f}, {.875f, .625f}, {.125f, .625f}};
        float[][] maskTune = {{.875f, .125f}, {.375f, .125f}, {.75f, .75f}, {.125f, .625f}};
        SplitEvaluator evaluator = new SplitEvaluator(pairConfig(0.75), List.of("erm", "masktune"), List.of(erm, maskTune), null, json);

        SplitResult result = evaluator.evaluate("test", 1, set, List.of(erm, maskTune));

        assertThat(result.metrics()).extracting(m -> m.model()).containsExactly("erm", "masktune", "combined");
        JsonNode masktune = result.metrics().get(1).metrics();
        assertThat(masktune.path("count").asInt()).isEqualTo(4);
        assertThat(masktune.path("attributes").get(1).path("falsePositives").asInt()).isEqualTo(1);   // s2
        assertThat(masktune.path("exactMatchAccuracy").asDouble()).isEqualTo(0.75);                  // all but s2
        assertThat(masktune.has("accuracy")).isFalse();
        JsonNode agreement = result.metrics().get(2).metrics().path("agreement");
        assertThat(agreement.path("agreed").asInt()).isEqualTo(3);     // s1 disagrees on a
        assertThat(agreement.path("accepted").asInt()).isEqualTo(2);   // s0 (.875) and s2 (.75 = threshold); s3 .625
        assertThat(agreement.path("onAccepted").path("exactMatchAccuracy").asDouble()).isEqualTo(0.5);

        assertThat(result.selective()).extracting(s -> s.method() + "/" + s.model()).containsExactly("agreement/combined");
        Selective curve = result.selective().get(0);
        assertThat(curve.operating().accepted()).isEqualTo(2);
        assertThat(curve.operating().coverage()).isEqualTo(0.5);
        assertThat(curve.operating().accuracy()).isEqualTo(0.5);
        assertThat(curve.curve().get(curve.curve().size() - 1).coverage()).isEqualTo(1.0);
        // at full coverage every MaskTune prediction counts: right where all attributes are, i.e. all but s2
        assertThat(curve.curve().get(curve.curve().size() - 1).accuracy()).isEqualTo(0.75);
    }

    @Test
    void aMultiLabelPairThatAcceptsNothingStoresNullsNotZeros() {
        ImageSet set = multiLabel(List.of("a"), new byte[] {1, 0}, 2);
        float[][] erm = {{.75f}, {.25f}};
        float[][] maskTune = {{.75f}, {.25f}};
        SplitEvaluator evaluator = new SplitEvaluator(pairConfig(0.9), List.of("erm", "masktune"), List.of(erm, maskTune), null, json);

        SplitResult result = evaluator.evaluate("test", 1, set, List.of(erm, maskTune));

        JsonNode onAccepted = result.metrics().get(2).metrics().path("agreement").path("onAccepted");
        assertThat(onAccepted.path("count").asInt()).isZero();
        assertThat(onAccepted.path("macroF1").isNull()).isTrue();
        assertThat(onAccepted.path("attributes").get(0).path("precision").isNull()).isTrue();
        assertThat(result.selective().get(0).operating().accepted()).isZero();
        assertThat(result.selective().get(0).operating().accuracy()).isNull();
    }

    @Test
    void aModelMustHaveOneOutputPerAttributeTrainedOnTheSameAttributesInOrder() {
        PlannedModel planned = new PlannedModel("erm", UUID.randomUUID(), "train", "best", UUID.randomUUID(), "0", "small-cnn", 2, "model-0");
        ModelSpec spec = new ModelSpec("small-cnn", 1, 2, 1, Normalization.unit(1), List.of("Smiling", "Eyeglasses"), false);
        ImageSet same = multiLabel(List.of("Smiling", "Eyeglasses"), new byte[2], 1);
        EvaluateTask.checkCompatible(planned, spec, same, Map.of());

        assertThatThrownBy(() -> EvaluateTask.checkCompatible(planned, spec, same, Map.of("test",
                multiLabel(List.of("Eyeglasses", "Smiling"), new byte[2], 1))))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.code()).isEqualTo("DATASET_MISMATCH"))
                .hasMessageContaining("trained on the attributes [Smiling, Eyeglasses], the dataset has [Eyeglasses, Smiling]");
        assertThatThrownBy(() -> EvaluateTask.checkCompatible(planned, spec, multiLabel(List.of("Smiling", "Eyeglasses", "Male"),
                new byte[3], 1), Map.of()))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.code()).isEqualTo("DATASET_MISMATCH"))
                .hasMessageContaining("has 2 outputs [Smiling, Eyeglasses], the dataset 3 attributes [Smiling, Eyeglasses, Male]");
        ImageSet threeClasses = ImageSet.of(1, 1, 1, new byte[1], new int[] {0}, List.of("x", "y", "z"));
        assertThatThrownBy(() -> EvaluateTask.checkCompatible(planned, spec, threeClasses, Map.of()))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.code()).isEqualTo("DATASET_MISMATCH"))
                .hasMessageContaining("has 2 classes, the dataset 3 [x, y, z]");
    }

    private static ImageSet multiLabel(List<String> names, byte[] targets, int n) {
        return new ImageSet(1, 1, 1, new byte[n], new int[n], null, List.of("x", "y"), List.of(), targets, names);
    }

    private static EvaluateConfig pairConfig(double agreementThreshold) {
        return new EvaluateConfig(List.of(new EvaluateConfig.ModelRef(UUID.randomUUID(), null, null),
                new EvaluateConfig.ModelRef(UUID.randomUUID(), null, null)), null, null, List.of(100.0, 50.0), agreementThreshold, null);
    }

    @Test
    void csvNumbersParseBackToTheSameFloat() {
        for (float v : new float[] {0f, 1f, 0.1f, 1e-8f, 0.99999994f, Float.MIN_VALUE, 2.0e-3f, 0.33333334f}) {
            assertThat(Float.parseFloat(PredictionsCsv.exact(v))).isEqualTo(v);
        }
    }
}
