package org.masktune.evaluation;

import java.util.UUID;

/** No evaluation with this id: no such job, not an evaluate job, or one that has not started yet (→ 404). */
public class EvaluationNotFoundException extends RuntimeException {

    private final UUID id;

    public EvaluationNotFoundException(UUID id, String message) {
        super(message);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
