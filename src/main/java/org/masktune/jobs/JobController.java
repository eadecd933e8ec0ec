package org.masktune.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.util.RawValue;

@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Job lifecycle: list, poll, cancel, stream events. Submit through the per-type endpoints.")
class JobController {

    private final JobService service;
    private final JobChangeWatcher watcher;
    private final JobEventStream eventStream;
    private final RenderedJobs rendered;
    private final LongPollProperties longPoll;

    JobController(JobService service, JobChangeWatcher watcher, JobEventStream eventStream, RenderedJobs rendered,
            LongPollProperties longPoll) {
        this.service = service;
        this.longPoll = longPoll;
        this.rendered = rendered;
        this.watcher = watcher;
        this.eventStream = eventStream;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List jobs, newest first")
    @ApiResponse(responseCode = "200", description = "One page of jobs", content = @Content(schema = @Schema(implementation = JobPage.class)))
    PagedModel<RawValue> list(
            @RequestParam(required = false) JobStatus status,
            @RequestParam(required = false) String type,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return new PagedModel<>(rendered.page(status, type, PageRequest.of(page, size)).map(RenderedJobs.Rendered::raw));
    }

    /** The list's shape, for the API documentation: the page holds each job as {@code GET /jobs/{id}} answers it. */
    record JobPage(List<JobView> content, PagedModel.PageMetadata page) {
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One job; with waitSeconds, waits until it changes (long-poll)",
            description = "With waitSeconds=N the answer comes as soon as the job changes, at most N seconds later"
                    + " (N up to masktune.long-poll.max-wait, 120 by default). With If-None-Match (the ETag of the last"
                    + " answer): 200 with the new state on a change, 304 after N seconds without one, and 200 at once when"
                    + " the ETag is already stale. Without If-None-Match: waits for the next change after the current state,"
                    + " then 200; after N seconds without one, 200 with the unchanged state. A finished job never waits.")
    @Parameter(name = "waitSeconds", in = ParameterIn.QUERY, description = "Seconds to wait for a change, 0 to masktune.long-poll.max-wait (120)",
            schema = @Schema(type = "integer", minimum = "0", maximum = "120", defaultValue = "0"))
    @ApiResponse(responseCode = "200", description = "The job", content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent as If-None-Match", content = @Content)
    ResponseEntity<byte[]> get(
            @PathVariable UUID id,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        // The plain poll answers on the request thread (a CompletableFuture, even a completed one, costs an
        // async dispatch) and from the JSON rendered at the job's current version.
        return answer(current(id), ifNoneMatch);
    }

    @GetMapping(path = "/{id}", params = "waitSeconds", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(hidden = true) // documented on get(), which answers the same path without waitSeconds
    CompletableFuture<ResponseEntity<byte[]>> await(
            @PathVariable UUID id,
            @RequestParam int waitSeconds,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        Duration wait = longPoll.checkedWait(waitSeconds);
        RenderedJobs.Rendered current = current(id);
        boolean staleEtag = ifNoneMatch != null && !current.etag().equals(ifNoneMatch);
        if (staleEtag || wait.isZero() || current.finished()) {
            return CompletableFuture.completedFuture(answer(current, ifNoneMatch));
        }
        // the client has the current state, or sent no ETag: either way it wants the next change
        return watcher.awaitChange(id, current.version(), wait)
                .thenApply(changed -> answer(current(id), ifNoneMatch));
    }

    private RenderedJobs.Rendered current(UUID id) {
        return rendered.current(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    private static ResponseEntity<byte[]> answer(RenderedJobs.Rendered job, String ifNoneMatch) {
        if (job.etag().equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(job.etag()).build();
        }
        return ResponseEntity.ok().eTag(job.etag()).contentType(MediaType.APPLICATION_JSON).body(job.json());
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a job: a queued one at once, a running one at its next step (202)")
    ResponseEntity<JobView> cancel(@PathVariable UUID id) {
        Job job = service.cancel(id);
        HttpStatus status = job.getStatus() == JobStatus.CANCELLED ? HttpStatus.OK : HttpStatus.ACCEPTED;
        JobView view = JobView.of(job);
        return ResponseEntity.status(status).eTag(view.etag()).body(view);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-Sent Events: state (each status change), progress, and a final end event",
            description = "Each state event's id is its job_events id: a reconnect with Last-Event-ID gets only the later ones.")
    SseEmitter events(@PathVariable UUID id,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        long after = 0;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Last-Event-ID must be the id of a state event, not " + lastEventId);
            }
        }
        return eventStream.open(id, after);
    }

    @PostMapping("/{type}")
    @Operation(hidden = true)
    ResponseEntity<Void> unknownType(@PathVariable String type) {
        throw new UnknownJobTypeException(type, service.knownTypes());
    }
}
