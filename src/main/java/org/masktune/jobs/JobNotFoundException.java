package org.masktune.jobs;

import java.util.UUID;

public class JobNotFoundException extends RuntimeException {

    private final UUID id;

    public JobNotFoundException(UUID id) {
        super("no job with id " + id);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
