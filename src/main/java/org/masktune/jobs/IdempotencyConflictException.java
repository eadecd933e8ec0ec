package org.masktune.jobs;

import java.util.UUID;

/** The Idempotency-Key was used before with a different request (→ 409). */
public class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String key, UUID existingJob) {
        super("Idempotency-Key '" + key + "' was already used for a different request (job " + existingJob
                + "); use a new key for a new request");
    }
}
