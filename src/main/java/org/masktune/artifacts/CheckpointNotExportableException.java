package org.masktune.artifacts;

import java.util.UUID;

/** The stored bytes are not a model checkpoint this build can convert (→ 409 naming the reason). */
public class CheckpointNotExportableException extends RuntimeException {

    private final UUID id;

    public CheckpointNotExportableException(UUID id, String reason) {
        super("checkpoint " + id + " cannot be exported as safetensors: " + reason);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
