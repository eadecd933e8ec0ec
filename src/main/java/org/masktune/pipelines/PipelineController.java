package org.masktune.pipelines;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.masktune.jobs.LongPollProperties;
import org.springframework.web.bind.annotation.RequestParam;
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
    private final PipelineLongPoll longPolls;
    private final LongPollProperties longPoll;

    PipelineController(PipelineService pipelines, PipelineEventStream events, PipelineLongPoll longPolls, LongPollProperties longPoll) {
        this.pipelines = pipelines;
        this.events = events;
        this.longPolls = longPolls;
        this.longPoll = longPoll;
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
    @Operation(summary = "Each stage, the overall state and progress, and the headline numbers when done; waitSeconds long-polls",
            description = "As for jobs: with waitSeconds=N (up to masktune.long-poll.max-wait, 120 by default) the answer comes"
                    + " when a stage changes (status or progress), or after N seconds: 304 if If-None-Match still matches,"
                    + " else 200. Without If-None-Match it waits for the next change after the current state.")
    @Parameter(name = "waitSeconds", in = ParameterIn.QUERY, description = "Seconds to wait for a change, 0 to masktune.long-poll.max-wait (120)",
            schema = @Schema(type = "integer", minimum = "0", maximum = "120", defaultValue = "0"))
    @ApiResponse(responseCode = "200", description = "The pipeline", content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent as If-None-Match", content = @Content)
    ResponseEntity<PipelineView> get(@PathVariable UUID id,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        return answer(pipelines.view(id), ifNoneMatch);
    }

    @GetMapping(path = "/api/v1/pipelines/{id}", params = "waitSeconds")
    @Operation(hidden = true) // documented on get()
    CompletableFuture<ResponseEntity<PipelineView>> await(@PathVariable UUID id, @RequestParam int waitSeconds,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        Duration wait = longPoll.checkedWait(waitSeconds);
        return longPolls.await(id, ifNoneMatch, wait).thenApply(view -> answer(view, ifNoneMatch));
    }

    private static ResponseEntity<PipelineView> answer(PipelineView view, String ifNoneMatch) {
        if (view.etag().equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(view.etag()).build();
        }
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
