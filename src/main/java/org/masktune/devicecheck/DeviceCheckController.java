package org.masktune.devicecheck;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.masktune.jobs.JobSubmissions;
import org.masktune.jobs.JobView;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class DeviceCheckController {

    private final JobSubmissions submissions;

    DeviceCheckController(JobSubmissions submissions) {
        this.submissions = submissions;
    }

    @PostMapping("/api/v1/jobs/device-check")
    @Operation(summary = "Submit a device check: which engine and device a worker runs, and how fast it multiplies matrices")
    ResponseEntity<JobView> submit(
            @Valid @RequestBody(required = false) DeviceCheckConfig config,
            @RequestHeader(name = JobSubmissions.IDEMPOTENCY_KEY, required = false) @Size(max = 200) String idempotencyKey,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100) int priority) {
        return submissions.submit(DeviceCheckConfig.TYPE, config == null ? DeviceCheckConfig.defaults() : config,
                idempotencyKey, priority);
    }
}
