package org.masktune.jobs;

import java.time.Instant;

/** One status change, as sent on the job's event stream. */
public record JobEventView(long id, Instant at, JobStatus from, JobStatus to, String reason) {

    static JobEventView of(JobEvent event) {
        return new JobEventView(event.getId(), event.getAt(), event.getFromStatus(), event.getToStatus(), event.getReason());
    }
}
