package org.masktune.logs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.masktune.jobs.JobLookup;
import org.masktune.jobs.JobStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A job's log as plain text: the whole of it (from an offset), or followed until the job ends, as a chunked
 * text stream or as Server-Sent Events whose ids are byte offsets (a reconnect with Last-Event-ID resumes).
 */
@RestController
@RequestMapping("/api/v1/jobs/{id}/logs")
@Tag(name = "Jobs")
class JobLogController {

    static final String NEXT_OFFSET = "Log-Next-Offset";
    private static final int SLICE_BYTES = 256 * 1024;
    private static final long FOLLOW_TIMEOUT_MS = Duration.ofHours(24).toMillis();

    private final JobLogStore store;
    private final JobLookup jobs;
    private final long followIntervalMs;
    private final ScheduledExecutorService followers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "job-log-follow");
        t.setDaemon(true);
        return t;
    });

    JobLogController(JobLogStore store, JobLookup jobs, LogsProperties properties) {
        this.store = store;
        this.jobs = jobs;
        this.followIntervalMs = Math.max(50, properties.followInterval().toMillis());
    }

    @GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The job's log: its child JVM's stderr and non-protocol stdout, over all attempts (capped per job)",
            description = "From byte `offset` on; the header Log-Next-Offset is where to resume. With follow=true the answer"
                    + " is streamed (chunked) and ends when the job has ended and its whole log was sent.")
    @Parameter(name = "offset", description = "Byte offset to start at (a previous Log-Next-Offset)")
    @Parameter(name = "follow", description = "Keep streaming new output until the job ends")
    @ApiResponse(responseCode = "200", description = "Log text", content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
    ResponseBodyEmitter text(@PathVariable UUID id, @RequestParam(defaultValue = "0") @Min(0) long offset,
            @RequestParam(defaultValue = "false") boolean follow, HttpServletResponse response) throws IOException {
        jobs.get(id); // 404 for an unknown job
        if (!follow) {
            long end = store.size(id);
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader(NEXT_OFFSET, Long.toString(Math.max(end, offset)));
            OutputStream out = response.getOutputStream();
            long at = offset;
            while (at < end) {
                JobLogStore.Slice slice = store.read(id, at, SLICE_BYTES);
                if (slice.isEmpty()) {
                    break;
                }
                out.write(slice.bytes(), 0, (int) Math.min(slice.bytes().length, end - at));
                at = slice.nextOffset();
            }
            out.flush();
            return null;
        }
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(FOLLOW_TIMEOUT_MS);
        response.setContentType("text/plain;charset=UTF-8");
        follow(id, offset, new Sink() {
            @Override
            public void send(JobLogStore.Slice slice) throws IOException {
                emitter.send(slice.bytes(), MediaType.TEXT_PLAIN);
            }

            @Override
            public void end(JobStatus status) {
                emitter.complete();
            }

            @Override
            public void fail(Throwable e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The job's log as Server-Sent Events: \"log\" events (id = byte offset after them) until the job ends, then \"end\"",
            description = "Reconnect with Last-Event-ID (or offset) to resume without repeating output.")
    SseEmitter events(@PathVariable UUID id, @RequestParam(defaultValue = "0") @Min(0) long offset,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        jobs.get(id);
        long from = parseOffset(lastEventId, offset);
        SseEmitter emitter = new SseEmitter(FOLLOW_TIMEOUT_MS);
        follow(id, from, new Sink() {
            @Override
            public void send(JobLogStore.Slice slice) throws IOException {
                emitter.send(SseEmitter.event().name("log").id(Long.toString(slice.nextOffset()))
                        .data(new String(slice.bytes(), StandardCharsets.UTF_8), MediaType.TEXT_PLAIN));
            }

            @Override
            public void end(JobStatus status) throws IOException {
                emitter.send(SseEmitter.event().name("end").data(status.name(), MediaType.TEXT_PLAIN));
                emitter.complete();
            }

            @Override
            public void fail(Throwable e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    private static long parseOffset(String lastEventId, long offset) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return offset;
        }
        try {
            return Math.max(0, Long.parseLong(lastEventId.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Last-Event-ID must be a byte offset sent as an event id, not " + lastEventId);
        }
    }

    private interface Sink {
        void send(JobLogStore.Slice slice) throws IOException;

        void end(JobStatus status) throws IOException;

        void fail(Throwable e);
    }

    /**
     * Sends what is there, then looks again every follow interval. The job's status is read before the log, so
     * once it is terminal and the log has nothing more, nothing can be missed: the writer closes the log before
     * the job is marked finished.
     */
    private void follow(UUID id, long offset, Sink sink) {
        followers.execute(() -> pump(id, offset, sink));
    }

    private void pump(UUID id, long offset, Sink sink) {
        try {
            JobStatus status = jobs.get(id).getStatus();
            long at = offset;
            JobLogStore.Slice slice;
            while (!(slice = store.read(id, at, SLICE_BYTES)).isEmpty()) {
                sink.send(slice);
                at = slice.nextOffset();
            }
            if (status.isTerminal()) {
                sink.end(status);
                return;
            }
            long next = at;
            followers.schedule(() -> pump(id, next, sink), followIntervalMs, TimeUnit.MILLISECONDS);
        } catch (IOException | IllegalStateException e) {
            sink.fail(e); // the client went away
        } catch (RuntimeException e) {
            sink.fail(e);
        }
    }

    @PreDestroy
    void stop() {
        followers.shutdownNow();
    }
}
