package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The metric records stored in evaluation results survive a JSON round trip, NaN included. */
class MetricsJsonTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void metricsSurviveAJsonRoundTripIncludingNaN() {
        ClassificationMetrics metrics = ClassificationMetrics.of(new float[][] {{0.9f, 0.1f}, {0.4f, 0.6f}},
                new int[] {0, 0}, new int[] {0, 1}, List.of("a", "b"), 2);
        AgreementResult nothingAccepted = AgreementSelector.select(new float[][] {{0.9f, 0.1f}},
                new float[][] {{0.6f, 0.4f}}, new int[] {0}, 0.8, null);
        RiskCoverageCurve curve = RiskCoverageCurve.of(new float[] {0.9f, 0.6f}, new boolean[] {true, false});

        ClassificationMetrics back = roundTrip(metrics, ClassificationMetrics.class);
        assertEquals(0.5, back.accuracy(), 0.0);
        assertEquals(0.0, back.worstGroupAccuracy(), 0.0);
        assertEquals(1, back.confusion()[1][1] + back.confusion()[0][1]);
        assertTrue(Double.isNaN(back.perClassAccuracy()[1]));
        assertTrue(Double.isNaN(roundTrip(nothingAccepted, AgreementResult.class).accuracyOnAccepted()));
        assertEquals(curve, roundTrip(curve, RiskCoverageCurve.class));
    }

    private <T> T roundTrip(T value, Class<T> type) {
        return mapper.readValue(mapper.writeValueAsString(value), type);
    }
}
