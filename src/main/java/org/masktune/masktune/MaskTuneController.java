package org.masktune.masktune;

import org.masktune.artifacts.ArtifactKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.masktune.artifacts.Artifact;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.jobs.JobLookup;
import org.masktune.jobs.JobSubmissions;
import org.masktune.jobs.JobView;
import org.masktune.ml.saliency.PreviewRenderer;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Jobs")
class MaskTuneController {

    private final JobSubmissions submissions;
    private final JobLookup jobs;
    private final ArtifactStore artifacts;
    private final JsonMapper json;

    MaskTuneController(JobSubmissions submissions, JobLookup jobs, ArtifactStore artifacts, JsonMapper json) {
        this.submissions = submissions;
        this.jobs = jobs;
        this.artifacts = artifacts;
        this.json = json;
    }

    @PostMapping("/api/v1/jobs/masktune")
    @Operation(summary = "MaskTune a finished train job: mask the salient pixels of its training images, fine-tune for one epoch",
            description = "As the authors' code does, the masks come from the train job's best checkpoint (highest validation"
                    + " accuracy) and the fine-tune starts from its last one with its optimiser state. On a biased validation"
                    + " split the best checkpoint is often epoch 1 (the shortcut is learned at once), so the masks show what"
                    + " the model relied on first, not what it relies on after the last epoch.")
    ResponseEntity<JobView> submit(
            @Valid @RequestBody MaskTuneConfig config,
            @RequestHeader(name = JobSubmissions.IDEMPOTENCY_KEY, required = false) @Size(max = 200) String idempotencyKey,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100) int priority) {
        return submissions.submit(MaskTuneConfig.TYPE, config, idempotencyKey, priority);
    }

    @GetMapping(path = "/api/v1/jobs/{id}/masks/preview.png", produces = MediaType.IMAGE_PNG_VALUE)
    @Operation(summary = "Rows of original | xGradCAM heat map | masked image | mask for the first training images; on Biased"
            + " MNIST the shortcut's pixels are green in the mask column where masked and magenta where left visible")
    ResponseEntity<byte[]> preview(@PathVariable UUID id, @RequestParam(defaultValue = "8") @Min(1) @Max(64) int count)
            throws IOException {
        jobs.get(id);
        Artifact preview = artifacts.forJob(id, ArtifactKind.MASK_PREVIEW.id()).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "job " + id + " has no mask preview (only finished masktune jobs with previewCount > 0 have one)"));
        byte[] png;
        try (InputStream in = artifacts.openRange(preview, 0, preview.getSizeBytes())) {
            png = in.readAllBytes();
        }
        int rows = json.readTree(preview.getMetadata()).path("rows").asInt();
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noCache())
                .eTag("\"" + preview.getSha256() + "-" + Math.min(count, rows) + "\"")
                .body(PreviewRenderer.firstRows(png, rows, count));
    }
}
