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

    JobController(JobService service, JobChangeWatcher watcher, JobEventStream eventStream, RenderedJobs rendered) {
        this.service = service;
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
    @Operation(summary = "One job; with If-None-Match and waitSeconds, waits until it changes (long-poll)",
            description = "Send the ETag of the last answer as If-None-Match and waitSeconds=N: the answer comes as soon as"
                    + " the job changes (200 with the new state) or after N seconds (304). A finished job never waits.")
    @Parameter(name = "waitSeconds", in = ParameterIn.QUERY, description = "Seconds to wait for a change, 0–60",
            schema = @Schema(type = "integer", minimum = "0", maximum = "60", defaultValue = "0"))
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
            @RequestParam @Min(0) @Max(60) int waitSeconds,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        RenderedJobs.Rendered current = current(id);
        boolean clientIsCurrent = current.etag().equals(ifNoneMatch);
        if (!clientIsCurrent || waitSeconds == 0 || current.finished()) {
            return CompletableFuture.completedFuture(answer(current, ifNoneMatch));
        }
        return watcher.awaitChange(id, current.version(), Duration.ofSeconds(waitSeconds))
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
    @Operation(summary = "Server-Sent Events: state (each status change), progress, and a final end event")
    SseEmitter events(@PathVariable UUID id) {
        return eventStream.open(id);
    }

    @PostMapping("/{type}")
    @Operation(hidden = true)
    ResponseEntity<Void> unknownType(@PathVariable String type) {
        throw new UnknownJobTypeException(type, service.knownTypes());
    }
}
