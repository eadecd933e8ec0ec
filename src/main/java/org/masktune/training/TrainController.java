package org.masktune.training;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.masktune.jobs.JobLookup;
import org.masktune.jobs.JobSubmissions;
import org.masktune.jobs.JobView;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class TrainController {

    private final JobSubmissions submissions;
    private final JobLookup jobs;
    private final EpochMetricsRepository metrics;

    TrainController(JobSubmissions submissions, JobLookup jobs, EpochMetricsRepository metrics) {
        this.submissions = submissions;
        this.jobs = jobs;
        this.metrics = metrics;
    }

    @PostMapping("/api/v1/jobs/train")
    @Operation(summary = "Submit ERM training: keeps the best (validation accuracy) and last checkpoints, metrics per epoch")
    ResponseEntity<JobView> submit(
            @Valid @RequestBody TrainConfig config,
            @RequestHeader(name = JobSubmissions.IDEMPOTENCY_KEY, required = false) @Size(max = 200) String idempotencyKey,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100) int priority) {
        return submissions.submit(TrainConfig.TYPE, config, idempotencyKey, priority);
    }

    @GetMapping("/api/v1/jobs/{id}/metrics")
    @Operation(summary = "Epoch history of a training or fine-tuning job")
    List<EpochMetricsRepository.EpochMetric> metrics(@PathVariable UUID id) {
        jobs.get(id);
        return metrics.forJob(id);
    }
}
