package org.masktune.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.masktune.jobs.JobStatus;
import tools.jackson.databind.JsonNode;

/**
 * A pipeline as clients see it: its stages in order (each a job, or not yet created), the overall
 * state derived from them, and the headline numbers once the evaluation is done.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineView(
        UUID id,
        String kind,
        JobStatus status,
        String reason,
        double progress,
        boolean cancelRequested,
        List<Stage> stages,
        JsonNode config,
        JsonNode summary,
        Instant createdAt,
        String etag) {

    /** One stage; {@code jobId} is null until the previous stage has succeeded. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stage(String name, UUID jobId, JobStatus status, double progress, String progressMessage, String error,
            Instant startedAt, Instant finishedAt) {
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }
}
