package org.masktune.pipelines;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import org.masktune.jobs.JobSubmissions;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Pipelines", description = "train → masktune → evaluate in one request")
class PipelineController {

    private final PipelineService pipelines;
    private final PipelineEventStream events;

    PipelineController(PipelineService pipelines, PipelineEventStream events) {
        this.pipelines = pipelines;
        this.events = events;
    }

    @PostMapping("/api/v1/pipelines/masktune")
    @Operation(summary = "Run ERM training, MaskTune and the evaluation of the pair as linked jobs ({\"dataset\": \"biased-mnist\"} is enough)")
    ResponseEntity<PipelineView> create(
            @Valid @RequestBody MaskTunePipelineConfig config,
            @RequestHeader(name = JobSubmissions.IDEMPOTENCY_KEY, required = false) @Size(max = 200) String idempotencyKey) {
        PipelineService.Creation creation = pipelines.create(config,
                idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey);
        return ResponseEntity.status(creation.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/v1/pipelines/" + creation.view().id()))
                .body(creation.view());
    }

    @GetMapping("/api/v1/pipelines/{id}")
    @Operation(summary = "Each stage, the overall state and progress, and the headline numbers when done")
    ResponseEntity<PipelineView> get(@PathVariable UUID id) {
        PipelineView view = pipelines.view(id);
        return ResponseEntity.ok().eTag(view.etag()).body(view);
    }

    @PostMapping("/api/v1/pipelines/{id}/cancel")
    @Operation(summary = "Cancel every stage that has not finished; no further stage starts")
    PipelineView cancel(@PathVariable UUID id) {
        return pipelines.cancel(id);
    }

    @GetMapping(path = "/api/v1/pipelines/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-Sent Events: a pipeline snapshot on every change, then a final end event")
    SseEmitter stream(@PathVariable UUID id) {
        return events.open(id);
    }
}
