package org.masktune.evaluation;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What an EVALUATE child reports: one {@link SplitResult} per split as soon as it is measured, then
 * the predictions CSV as a {@code org.masktune.runner.ChildEvent#ARTIFACT} of kind
 * {@code predictions}. Undefined numbers (NaN) travel as null.
 */
public final class EvaluateEvents {

    /** Body: a {@link SplitResult}. */
    public static final String SPLIT = "evaluation-split";

    private EvaluateEvents() {
    }

    /**
     * @param index   position of the split in the evaluation (validation first), to list results in order
     * @param metrics per model label (erm, masktune, combined)
     */
    public record SplitResult(String split, int index, int samples, List<ModelMetrics> metrics, List<Selective> selective) {
    }

    /** ClassificationMetrics of one model on the split, as JSON, plus the agreement operating point for 'combined'. */
    public record ModelMetrics(String model, JsonNode metrics) {
    }

    /**
     * One selective method on the split.
     *
     * @param aurc        area under the full risk-coverage curve
     * @param curvePoints points of the full curve (one per distinct confidence) before downsampling
     * @param calibrated  thresholds calibrated on the validation split at the requested coverages
     * @param curve       the curve, downsampled to at most 1,000 points
     * @param operating   agreement only: the fixed-threshold rule's point; null otherwise
     */
    public record Selective(String method, String model, int samples, double aurc, int curvePoints, List<Point> calibrated,
            List<Point> curve, Point operating) {
    }

    /**
     * A selective operating point.
     *
     * @param targetCoverage requested coverage in percent (calibrated points only)
     * @param accuracy       on the accepted samples; null when none is accepted
     */
    public record Point(Double targetCoverage, double threshold, int accepted, double coverage, Double accuracy, Double risk) {
    }
}
