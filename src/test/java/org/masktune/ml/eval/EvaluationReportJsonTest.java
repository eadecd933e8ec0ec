package org.masktune.ml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EvaluationReportJsonTest {

    @Test
    void reportSurvivesAJsonRoundTripIncludingNaN() {
        ClassificationMetrics metrics = ClassificationMetrics.of(new float[][] {{0.9f, 0.1f}, {0.4f, 0.6f}},
                new int[] {0, 0}, new int[] {0, 1}, List.of("a", "b"), 2);
        AgreementResult nothingAccepted = AgreementSelector.select(new float[][] {{0.9f, 0.1f}},
                new float[][] {{0.6f, 0.4f}}, new int[] {0}, 0.8, null);
        RiskCoverageCurve curve = RiskCoverageCurve.of(new float[] {0.9f, 0.6f}, new boolean[] {true, false});
        EvaluationReport report = new EvaluationReport("masktune", "test", metrics, null,
                List.of(new SelectiveReport("max-softmax", List.of(), curve)), nothingAccepted, null);

        JsonMapper mapper = JsonMapper.builder().build();
        EvaluationReport back = mapper.readValue(mapper.writeValueAsString(report), EvaluationReport.class);

        assertEquals(0.5, back.classification().accuracy(), 0.0);
        assertEquals(0.0, back.classification().worstGroupAccuracy(), 0.0);
        assertEquals(1, back.classification().confusion()[1][1] + back.classification().confusion()[0][1]);
        assertTrue(Double.isNaN(back.classification().perClassAccuracy()[1]));
        assertTrue(Double.isNaN(back.agreement().accuracyOnAccepted()));
        assertEquals(curve, back.selective().get(0).riskCoverage());
    }
}
