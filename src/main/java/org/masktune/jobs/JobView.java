package org.masktune.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/** A job as clients see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        UUID id,
        String type,
        JobStatus status,
        int priority,
        @JsonRawValue @Schema(type = "object", description = "The job's configuration as submitted") String config,
        @JsonRawValue @Schema(type = "object", description = "What the job produced, once it has") String result,
        Progress progress,
        int attempt,
        int maxAttempts,
        String device,
        String worker,
        boolean cancelRequested,
        Error error,
        UUID pipelineId,
        @Schema(description = "Name of the token that submitted the job (absent in open mode)") String submittedBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        long version) {

    public record Progress(double fraction, String message) {
    }

    public record Error(String code, String message) {
    }

    /**
     * The config and result are written as stored: PostgreSQL's jsonb already holds them as valid JSON,
     * so they are not parsed into trees (and written again) on every poll and list page.
     */
    public static JobView of(Job job) {
        return new JobView(job.getId(), job.getType(), job.getStatus(), job.getPriority(),
                job.getConfig(), job.getResult(),
                new Progress(job.getProgress(), job.getProgressMessage()),
                job.getAttempt(), job.getMaxAttempts(), job.getDevice(), job.getWorker(), job.isCancelRequested(),
                job.getErrorCode() == null ? null : new Error(job.getErrorCode(), job.getErrorMessage()),
                job.getPipelineId(), job.getSubmittedBy(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(), job.getUpdatedAt(),
                job.getVersion());
    }

    public String etag() {
        return etag(version);
    }

    /** The ETag of a job at {@code version}: the version, quoted. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
