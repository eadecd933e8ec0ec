package org.masktune.artifacts;

import java.util.UUID;

/** The stored bytes of a checkpoint no longer hash to the digest recorded when it was written. */
public class ArtifactCorruptException extends RuntimeException {

    private final UUID id;
    private final String expectedSha256;
    private final String actualSha256;

    public ArtifactCorruptException(UUID id, String expectedSha256, String actualSha256, long expectedSize, long actualSize) {
        super("checkpoint " + id + " is corrupt: expected SHA-256 " + expectedSha256 + " but its stored bytes hash to "
                + actualSha256 + (expectedSize == actualSize ? "" : " (" + actualSize + " of " + expectedSize + " bytes present)")
                + "; nothing was staged. Re-run the job that produced it, or use another checkpoint");
        this.id = id;
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    public UUID id() {
        return id;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }
}
