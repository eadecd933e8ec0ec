package org.masktune.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A job as clients see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        UUID id,
        String type,
        JobStatus status,
        int priority,
        JsonNode config,
        JsonNode result,
        Progress progress,
        int attempt,
        int maxAttempts,
        String device,
        String worker,
        boolean cancelRequested,
        Error error,
        UUID pipelineId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        long version) {

    public record Progress(double fraction, String message) {
    }

    public record Error(String code, String message) {
    }

    public static JobView of(Job job, JsonMapper json) {
        return new JobView(job.getId(), job.getType(), job.getStatus(), job.getPriority(),
                json.readTree(job.getConfig()),
                job.getResult() == null ? null : json.readTree(job.getResult()),
                new Progress(job.getProgress(), job.getProgressMessage()),
                job.getAttempt(), job.getMaxAttempts(), job.getDevice(), job.getWorker(), job.isCancelRequested(),
                job.getErrorCode() == null ? null : new Error(job.getErrorCode(), job.getErrorMessage()),
                job.getPipelineId(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(), job.getUpdatedAt(),
                job.getVersion());
    }

    public String etag() {
        return "\"" + version + "\"";
    }
}
