package org.masktune.ml.train;

import java.io.IOException;

/** The bytes are not a checkpoint this version can read (wrong magic, newer version, truncated, corrupted). */
public class CheckpointFormatException extends IOException {

    public CheckpointFormatException(String message) {
        super(message);
    }
}
