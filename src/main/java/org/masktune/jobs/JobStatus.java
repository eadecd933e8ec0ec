package org.masktune.jobs;

import java.util.EnumSet;
import java.util.Set;

/** The life of a job. RUNNING → QUEUED happens only when its worker died (a counted retry) or its service shut down (uncounted). */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public boolean canMoveTo(JobStatus next) {
        return successors().contains(next);
    }

    private Set<JobStatus> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }
}
