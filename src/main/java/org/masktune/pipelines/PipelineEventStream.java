package org.masktune.pipelines;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.masktune.jobs.JobChangeWatcher;
import org.masktune.jobs.JobLookup;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** SSE for a pipeline: a {@code pipeline} snapshot whenever a stage changes, then {@code end}. */
@Component
class PipelineEventStream {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration BETWEEN_STAGES = Duration.ofSeconds(1);

    private final PipelineService pipelines;
    private final JobChangeWatcher watcher;
    private final JobLookup jobs;
    private final ExecutorService pumps = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "pipeline-event-stream");
        t.setDaemon(true);
        return t;
    });

    PipelineEventStream(PipelineService pipelines, JobChangeWatcher watcher, JobLookup jobs) {
        this.pipelines = pipelines;
        this.watcher = watcher;
        this.jobs = jobs;
    }

    SseEmitter open(UUID id) {
        PipelineView first = pipelines.view(id);
        SseEmitter emitter = new SseEmitter(Duration.ofHours(12).toMillis());
        pump(id, emitter, first, null);
        return emitter;
    }

    private void pump(UUID id, SseEmitter emitter, PipelineView view, String lastEtag) {
        try {
            if (!view.etag().equals(lastEtag)) {
                emitter.send(SseEmitter.event().name(view.isTerminal() ? "end" : "pipeline").data(view, MediaType.APPLICATION_JSON));
            }
            if (view.isTerminal()) {
                emitter.complete();
                return;
            }
            waitForChange(view).thenRunAsync(() -> pump(id, emitter, pipelines.view(id), view.etag()), pumps);
        } catch (IOException | RuntimeException e) {
            emitter.completeWithError(e);
        }
    }

    /**
     * Waits on the active stage's job (at most the keep-alive; the next pump recomputes the view anyway);
     * between stages, while the next one is being created, waits briefly.
     */
    private CompletableFuture<Boolean> waitForChange(PipelineView view) {
        return view.stages().stream()
                .filter(s -> s.jobId() != null && s.status() != null && !s.status().isTerminal())
                .findFirst()
                .flatMap(s -> jobs.version(s.jobId()).map(version -> watcher.awaitChange(s.jobId(), version, KEEP_ALIVE)))
                .orElseGet(() -> CompletableFuture.supplyAsync(() -> false,
                        CompletableFuture.delayedExecutor(BETWEEN_STAGES.toMillis(), TimeUnit.MILLISECONDS)));
    }
}
