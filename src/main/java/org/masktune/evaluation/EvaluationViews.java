package org.masktune.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.masktune.evaluation.EvaluateEvents.Point;
import org.masktune.jobs.JobStatus;
import tools.jackson.databind.JsonNode;

/** What the evaluation endpoints return. */
public final class EvaluationViews {

    private EvaluationViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "An evaluation: what was measured and every number (the full curves are at .../curves)")
    record EvaluationView(
            @Schema(description = "The evaluate job's id") UUID id,
            @Schema(description = "The job's status; results of a RUNNING or FAILED job may be partial") JobStatus status,
            @Schema(description = "Why the job failed, when it did") String error,
            Instant createdAt,
            @Schema(description = "The models, in order: [{label, job, jobType, kind, checkpoint, sha256, architecture, classes}]")
            JsonNode models,
            @Schema(description = "The dataset spec the splits were loaded with") JsonNode dataset,
            @Schema(description = "The request, with its defaults") JsonNode config,
            @Schema(description = "Splits in evaluation order") List<String> splits,
            @Schema(description = "Classification metrics per model (erm, masktune, combined) and split") List<ResultView> results,
            @Schema(description = "Selective methods per split: AURC, calibrated points, the agreement rule's operating point")
            List<CurveView> selective,
            @Schema(description = "The per-sample predictions artifact, once written") PredictionsView predictions) {
    }

    record ResultView(String model, String split,
            @Schema(description = "count, accuracy, perClassAccuracy, perClassCount, confusion[true][predicted], classNames, groups"
                    + " [{group, name, count, correct, accuracy}], worstGroupAccuracy, averageGroupAccuracy (weighted by test-set counts),"
                    + " meanGroupAccuracy (unweighted), trainingWeightedGroupAccuracy, negativeLogLikelihood, expectedCalibrationError"
                    + " (15 bins); 'combined' adds agreement. Multi-label models instead: count, attributes [{name, truePositives,"
                    + " falsePositives, falseNegatives, trueNegatives, precision, recall, f1, accuracy}] at sigmoid >= 0.5, macroPrecision,"
                    + " macroRecall, macroF1, meanAccuracy, exactMatchAccuracy; 'combined' holds only agreement {threshold, total, agreed,"
                    + " accepted, agreementRate, rejectionRate, onAccepted (the same metrics over the accepted samples)}."
                    + " Undefined values are null")
            JsonNode metrics) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CurveView(
            @Schema(description = "max-softmax, product-softmax or agreement (a multi-label pair has agreement only, and a sample"
                    + " counts as right there when every attribute is)") String method,
            @Schema(description = "erm or masktune for max-softmax, combined for the pair's methods") String model,
            String split,
            int samples,
            @Schema(description = "Area under the full risk-coverage curve") double aurc,
            @Schema(description = "Points of the full curve before it was downsampled") int curvePoints,
            @Schema(description = "Thresholds calibrated on the validation split at the target coverages (percent)") List<Point> calibrated,
            @Schema(description = "agreement only: the fixed-threshold rule") Point operating,
            @Schema(description = "The risk-coverage curve, at most 1,000 points, by increasing coverage") List<Point> curve) {
    }

    record PredictionsView(UUID checkpoint, long sizeBytes, String sha256, String url) {
    }

    @Schema(description = "Headline numbers of several evaluations side by side: values[i] belongs to evaluations[i]")
    public record Comparison(List<ComparedEvaluation> evaluations, List<ComparedRow> rows) {
    }

    public record ComparedEvaluation(UUID id, JobStatus status, JsonNode models, JsonNode dataset) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComparedRow(
            @Schema(description = "accuracy, worstGroupAccuracy, macroF1 (multi-label) or aurc") String metric,
            String split,
            @Schema(description = "erm, masktune or combined") String model,
            @Schema(description = "For aurc: the selective method") String method,
            @Schema(description = "One value per evaluation, null where it lacks this number") List<Double> values) {
    }
}
