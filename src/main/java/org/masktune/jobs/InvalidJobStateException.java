package org.masktune.jobs;

import java.util.UUID;

/** A requested change that the job's state machine does not allow (→ 409). */
public class InvalidJobStateException extends RuntimeException {

    public InvalidJobStateException(UUID id, JobStatus from, JobStatus to) {
        super("job " + id + " is " + from + " and cannot become " + to);
    }

    public InvalidJobStateException(String message) {
        super(message);
    }
}
