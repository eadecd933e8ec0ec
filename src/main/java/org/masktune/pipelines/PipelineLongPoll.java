package org.masktune.pipelines;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.masktune.jobs.JobChangeWatcher;
import org.masktune.jobs.JobLookup;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/v1/pipelines/{id}?waitSeconds=}: answers as soon as the pipeline's view (its ETag) differs from
 * what the client has, or when the wait is over. It waits on the active stage's job through the
 * {@link JobChangeWatcher} (no thread per poll); between stages, while the next job is being created, it looks
 * again every {@link #BETWEEN_STAGES}.
 */
@Component
class PipelineLongPoll {

    static final Duration BETWEEN_STAGES = Duration.ofMillis(200);

    private final PipelineService pipelines;
    private final JobChangeWatcher watcher;
    private final JobLookup jobs;
    private final ExecutorService pumps = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "pipeline-long-poll");
        t.setDaemon(true);
        return t;
    });

    PipelineLongPoll(PipelineService pipelines, JobChangeWatcher watcher, JobLookup jobs) {
        this.pipelines = pipelines;
        this.watcher = watcher;
        this.jobs = jobs;
    }

    /**
     * The view once it differs from {@code ifNoneMatch} (or, without one, from the view now), or the unchanged
     * view after {@code wait}. A finished pipeline and a stale ETag answer at once.
     */
    CompletableFuture<PipelineView> await(UUID id, String ifNoneMatch, Duration wait) {
        PipelineView now = pipelines.view(id);
        if (wait.isZero() || now.isTerminal() || (ifNoneMatch != null && !now.etag().equals(ifNoneMatch))) {
            return CompletableFuture.completedFuture(now);
        }
        return loop(id, now, now.etag(), System.nanoTime() + wait.toNanos());
    }

    private CompletableFuture<PipelineView> loop(UUID id, PipelineView view, String known, long deadline) {
        if (!view.etag().equals(known) || view.isTerminal()) {
            return CompletableFuture.completedFuture(view);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return CompletableFuture.completedFuture(view);
        }
        return waitForChange(view, Duration.ofNanos(remaining))
                .thenComposeAsync(changed -> loop(id, pipelines.view(id), known, deadline), pumps);
    }

    private CompletableFuture<Boolean> waitForChange(PipelineView view, Duration remaining) {
        return view.stages().stream()
                .filter(s -> s.jobId() != null && s.status() != null && !s.status().isTerminal())
                .findFirst()
                .flatMap(s -> jobs.version(s.jobId()).map(version -> watcher.awaitChange(s.jobId(), version, remaining)))
                .orElseGet(() -> CompletableFuture.supplyAsync(() -> false, CompletableFuture.delayedExecutor(
                        Math.min(BETWEEN_STAGES.toMillis(), Math.max(1, remaining.toMillis())), TimeUnit.MILLISECONDS)));
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        pumps.shutdownNow();
    }
}
