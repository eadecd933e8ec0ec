package org.masktune.jobs;

import java.net.URI;
import org.masktune.runner.JobType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** The one way a per-type controller submits: 202 + Location for a new job, 200 for an idempotent repeat. */
@Component
public class JobSubmissions {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final JobService service;

    public JobSubmissions(JobService service) {
        this.service = service;
    }

    public <C> ResponseEntity<JobView> submit(JobType<C> type, C config, String idempotencyKey, int priority) {
        JobService.Submission submission = service.submit(type, config, blankToNull(idempotencyKey), priority);
        JobView view = JobView.of(submission.job());
        return ResponseEntity.status(submission.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/v1/jobs/" + view.id()))
                .eTag(view.etag())
                .body(view);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
