package org.masktune.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for one job: {@code state} for each status change (history first),
 * {@code progress} when progress moves, and a final {@code end} carrying the finished job, after
 * which the stream closes. Waiting is done by {@link JobChangeWatcher}, not by a thread per client.
 */
@Component
public class JobEventStream {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final long STREAM_TIMEOUT_MS = Duration.ofHours(6).toMillis();

    private final JobRepository jobs;
    private final JobChangeWatcher watcher;
    private final java.util.concurrent.ExecutorService pumps = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "job-event-stream");
        t.setDaemon(true);
        return t;
    });

    public JobEventStream(JobRepository jobs, JobChangeWatcher watcher) {
        this.jobs = jobs;
        this.watcher = watcher;
    }

    public SseEmitter open(UUID id) {
        return open(id, 0);
    }

    /** As {@link #open(UUID)}, sending only the state events after {@code lastEventId} (a reconnect's Last-Event-ID). */
    public SseEmitter open(UUID id, long lastEventId) {
        if (!jobs.existsById(id)) {
            throw new JobNotFoundException(id);
        }
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        Cursor cursor = new Cursor(id, emitter);
        cursor.lastEventId = lastEventId;
        cursor.pump();
        return emitter;
    }

    private final class Cursor {
        private final UUID id;
        private final SseEmitter emitter;
        private long lastEventId;
        private long version = -1;
        private Double lastProgress;
        private String lastMessage;

        Cursor(UUID id, SseEmitter emitter) {
            this.id = id;
            this.emitter = emitter;
        }

        void pump() {
            try {
                Job job = jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
                version = job.getVersion();
                for (JobEvent event : jobs.findEventsAfter(id, lastEventId)) {
                    emitter.send(SseEmitter.event().name("state").id(Long.toString(event.getId()))
                            .data(JobEventView.of(event), MediaType.APPLICATION_JSON));
                    lastEventId = event.getId();
                }
                boolean progressMoved = lastProgress == null || lastProgress != job.getProgress()
                        || !java.util.Objects.equals(lastMessage, job.getProgressMessage());
                if (job.getStatus() == JobStatus.RUNNING && progressMoved) {
                    lastProgress = job.getProgress();
                    lastMessage = job.getProgressMessage();
                    emitter.send(SseEmitter.event().name("progress")
                            .data(new JobView.Progress(job.getProgress(), job.getProgressMessage()), MediaType.APPLICATION_JSON));
                }
                if (job.getStatus().isTerminal()) {
                    emitter.send(SseEmitter.event().name("end").data(JobView.of(job), MediaType.APPLICATION_JSON));
                    emitter.complete();
                    return;
                }
                watcher.awaitChange(id, version, KEEP_ALIVE).thenAcceptAsync(changed -> {
                    try {
                        if (!changed) {
                            emitter.send(SseEmitter.event().comment("keep-alive"));
                        }
                        pump();
                    } catch (IOException | IllegalStateException e) {
                        emitter.completeWithError(e);
                    }
                }, pumps);
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e); // the client went away
            } catch (RuntimeException e) {
                emitter.completeWithError(e);
            }
        }
    }
}
