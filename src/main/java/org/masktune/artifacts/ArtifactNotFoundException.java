package org.masktune.artifacts;

import java.util.UUID;

/** No complete checkpoint has this id (it never existed, was replaced, or is still being written). */
public class ArtifactNotFoundException extends RuntimeException {

    private final UUID id;

    public ArtifactNotFoundException(UUID id) {
        super("no checkpoint with id " + id + " (unknown, replaced by a newer one of its kind, or not completely written yet)");
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
