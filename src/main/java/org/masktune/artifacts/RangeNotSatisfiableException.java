package org.masktune.artifacts;

import java.util.UUID;

/** A Range that starts past the end of the checkpoint; answered 416 with {@code Content-Range: bytes *}{@code /size}. */
class RangeNotSatisfiableException extends RuntimeException {

    private final long size;

    RangeNotSatisfiableException(UUID id, String range, long size) {
        super("range '" + range + "' is outside checkpoint " + id + " of " + size + " bytes");
        this.size = size;
    }

    long size() {
        return size;
    }
}
