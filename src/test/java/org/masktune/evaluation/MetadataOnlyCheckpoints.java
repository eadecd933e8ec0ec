package org.masktune.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.masktune.artifacts.ArtifactStore;

/** Checkpoints whose weights are never read: EVALUATE's submit checks look only at the stored metadata. */
final class MetadataOnlyCheckpoints {

    private MetadataOnlyCheckpoints() {
    }

    /** Stores a placeholder file under {@code job} with the given {@code model} metadata (JSON object); returns its id. */
    static UUID store(ArtifactStore checkpoints, String job, String kind, String modelJson) throws IOException {
        Path file = Files.createTempFile(kind, ".ckpt");
        try {
            Files.writeString(file, "not read: submit checks use the metadata only");
            return checkpoints.store(UUID.fromString(job), kind, 1, "small-cnn", file, "{\"model\": " + modelJson + "}").getId();
        } finally {
            Files.delete(file);
        }
    }
}
