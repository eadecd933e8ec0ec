package org.masktune.artifacts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An artifact's metadata as clients see it (model checkpoints and the other files a job keeps); the bytes are at {@code contentUrl}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactView(
        UUID id,
        UUID jobId,
        @Schema(description = "Models: best, last, finetuned. Other files: masked-set, mask-preview, predictions. One visible"
                + " artifact per job and kind", example = "best")
        String kind,
        @Schema(description = "Content-Type of the download", example = "application/octet-stream")
        String mediaType,
        @Schema(description = "File name of the download", example = "0b7d6c2e-5d8e-4b7a-9f59-3a1f1c7a2f10-best.ckpt")
        String fileName,
        @Schema(description = "Epoch after which it was taken", example = "12")
        Integer epoch,
        @Schema(example = "resnet18")
        String architecture,
        long sizeBytes,
        @Schema(description = "Lower-case hex SHA-256 of the file; also the download's ETag")
        String sha256,
        @Schema(description = "Config needed to rebuild the model, and the run's provenance")
        JsonNode metadata,
        Instant createdAt,
        @Schema(description = "Models under /checkpoints, other files under /artifacts (each path serves both)",
                example = "/api/v1/checkpoints/0b7d6c2e-5d8e-4b7a-9f59-3a1f1c7a2f10/content")
        String contentUrl) {

    static ArtifactView of(Artifact checkpoint, JsonMapper json) {
        String collection = ArtifactKind.isModel(checkpoint.getKind()) ? "checkpoints" : "artifacts";
        return new ArtifactView(checkpoint.getId(), checkpoint.getJobId(), checkpoint.getKind(), ArtifactKind.mediaTypeOf(checkpoint.getKind()),
                ArtifactKind.fileName(checkpoint.getJobId(), checkpoint.getKind()),
                checkpoint.getEpoch(), checkpoint.getArchitecture(), checkpoint.getSizeBytes(), checkpoint.getSha256(),
                checkpoint.getMetadata() == null ? null : json.readTree(checkpoint.getMetadata()),
                checkpoint.getCreatedAt(), "/api/v1/" + collection + "/" + checkpoint.getId() + "/content");
    }
}
