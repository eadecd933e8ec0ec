package org.masktune.jobs;

import java.util.UUID;

/** Published after a job's terminal state is committed. */
public record JobFinished(UUID jobId, String type, JobStatus status, UUID pipelineId) {
}
