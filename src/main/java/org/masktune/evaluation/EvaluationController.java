package org.masktune.evaluation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;
import org.masktune.artifacts.Artifact;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.evaluation.EvaluationViews.Comparison;
import org.masktune.evaluation.EvaluationViews.CurveView;
import org.masktune.evaluation.EvaluationViews.EvaluationView;
import org.masktune.jobs.JobSubmissions;
import org.masktune.jobs.JobView;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Evaluations", description = "EVALUATE jobs and their results: metrics per model and split, selective classification curves,"
        + " per-sample predictions, comparisons")
class EvaluationController {

    static final String TEXT_CSV = "text/csv";
    static final String SVG = "image/svg+xml";

    private final JobSubmissions submissions;
    private final Evaluations evaluations;
    private final ArtifactStore artifacts;

    EvaluationController(JobSubmissions submissions, Evaluations evaluations, ArtifactStore artifacts) {
        this.submissions = submissions;
        this.evaluations = evaluations;
        this.artifacts = artifacts;
    }

    @PostMapping("/api/v1/jobs/evaluate")
    @Operation(summary = "Evaluate one model or an ERM + MaskTune pair: accuracy by class and group, worst-group, NLL, ECE,"
            + " max-softmax / product-softmax / agreement selective classification with risk-coverage curves and AURC",
            description = "The evaluation's id is the job's id; read the results at /api/v1/evaluations/{id} once it has started.")
    ResponseEntity<JobView> submit(
            @Valid @RequestBody EvaluateConfig config,
            @RequestHeader(name = JobSubmissions.IDEMPOTENCY_KEY, required = false) @Size(max = 200) String idempotencyKey,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100) int priority) {
        return submissions.submit(EvaluateConfig.TYPE, config, idempotencyKey, priority);
    }

    @GetMapping("/api/v1/evaluations/compare")
    @Operation(summary = "Headline numbers of several evaluations side by side: accuracy and worst-group accuracy (macro F1 for"
            + " multi-label) per split and model, AURC per method")
    Comparison compare(@Parameter(description = "Comma-separated evaluation ids", example = "a,b")
                       @RequestParam @Size(min = 1, max = 20) List<UUID> ids) {
        return evaluations.compare(ids);
    }

    @GetMapping("/api/v1/evaluations/{id}")
    @Operation(summary = "An evaluation: models, dataset, every metric per model and split, AURC and calibrated points per method")
    EvaluationView get(@PathVariable UUID id) {
        return evaluations.get(id);
    }

    @GetMapping("/api/v1/evaluations/{id}/curves")
    @Operation(summary = "The selective methods' curves (≤ 1,000 points each), calibrated points and AURC")
    List<CurveView> curves(@PathVariable UUID id,
                           @Parameter(description = "Only this split") @RequestParam(required = false) String split,
                           @Parameter(description = "Only this method: max-softmax, product-softmax, agreement")
                           @RequestParam(required = false) String method) {
        return evaluations.curves(id, split, method, true);
    }

    @GetMapping(path = "/api/v1/evaluations/{id}/curves.csv", produces = TEXT_CSV)
    @Operation(summary = "Every stored curve point as CSV: method, model, split, kind (calibrated, curve, operating), seq,"
            + " target_coverage, threshold, accepted, coverage, accuracy, risk")
    ResponseEntity<String> curvesCsv(@PathVariable UUID id) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(TEXT_CSV + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename("curves-" + id + ".csv").build().toString())
                .body(evaluations.curvesCsv(id));
    }

    @GetMapping(path = "/api/v1/evaluations/{id}/curves.svg", produces = SVG)
    @Operation(summary = "Risk-coverage and accuracy-coverage plots (one row per split), calibrated points marked; plain SVG")
    ResponseEntity<String> curvesSvg(@PathVariable UUID id,
                                     @Parameter(description = "Only this split") @RequestParam(required = false) String split) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(SVG)).body(evaluations.svg(id, split));
    }

    @GetMapping(path = "/api/v1/evaluations/{id}/predictions.csv", produces = TEXT_CSV)
    @Operation(summary = "Per-sample predictions: index, split, label, group, each model's probabilities (<model>_p<class>),"
            + " score and prediction (product-softmax for a pair, max-softmax for one model); multi-label: the 0/1 targets"
            + " (y_<attribute>), each model's sigmoid outputs (<model>_p_<attribute>) and for a pair the agreement score")
    void predictions(@PathVariable UUID id, HttpServletResponse response) throws IOException {
        Artifact csv = evaluations.predictions(id);
        response.setContentType(TEXT_CSV + ";charset=UTF-8");
        response.setContentLengthLong(csv.getSizeBytes());
        response.setHeader(HttpHeaders.ETAG, "\"" + csv.getSha256() + "\"");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("predictions-" + id + ".csv").build().toString());
        try (InputStream in = artifacts.openRange(csv, 0, csv.getSizeBytes()); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
