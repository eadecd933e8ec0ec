package org.masktune.ml.eval;

import java.util.List;

/**
 * Everything measured for one model on one split, ready to be stored as rows or JSON. Sections that do
 * not apply are null ({@code multiLabel} for single-label sets, {@code agreement} without a second model) or
 * empty ({@code selective}). Undefined values (e.g. accuracy of an empty accepted set) are NaN; a store that
 * cannot hold NaN should write them as null.
 *
 * @param model  which model, e.g. "erm-best", "masktune"
 * @param split  e.g. "test", "test-bias-conflicting"
 */
public record EvaluationReport(
        String model,
        String split,
        ClassificationMetrics classification,
        MultiLabelMetrics multiLabel,
        List<SelectiveReport> selective,
        AgreementResult agreement,
        MultiLabelAgreementResult multiLabelAgreement) {

    public EvaluationReport {
        selective = selective == null ? List.of() : List.copyOf(selective);
    }
}
