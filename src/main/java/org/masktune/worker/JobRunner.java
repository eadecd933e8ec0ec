package org.masktune.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobHandler;
import org.masktune.jobs.JobHandlers;
import org.masktune.jobs.JobService;
import org.masktune.logs.JobLogStore;
import org.masktune.logs.LogsProperties;
import org.masktune.runner.ArtifactWritten;
import org.masktune.runner.ChildEvent;
import org.masktune.runner.JobSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one job on a lent device: stages its inputs, starts its child JVM, persists what the child
 * reports, and records how it ended. Everything that can go wrong ends in a terminal state with a
 * reason, except this JVM dying, which the queue's heartbeat handles.
 */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final long PROGRESS_WRITE_INTERVAL_NANOS = 500_000_000L;

    private final JobService jobs;
    private final JobHandlers handlers;
    private final DevicePool devices;
    private final WorkerIdentity identity;
    private final WorkerProperties properties;
    private final JsonMapper json;
    private final ChildJvm childJvm;
    private final JobLogStore logs;
    private final LogsProperties logsProperties;
    private final ArtifactStore artifacts;

    JobRunner(JobService jobs, JobHandlers handlers, DevicePool devices, WorkerIdentity identity, WorkerProperties properties,
            JsonMapper json, JobLogStore logs, LogsProperties logsProperties, ArtifactStore artifacts) {
        this.artifacts = artifacts;
        this.logs = logs;
        this.logsProperties = logsProperties;
        this.jobs = jobs;
        this.handlers = handlers;
        this.devices = devices;
        this.identity = identity;
        this.properties = properties;
        this.json = json;
        this.childJvm = new ChildJvm(properties.childJvmOptions() + " -Dmasktune.loader-threads=" + properties.effectiveLoaderThreads(),
                properties.pollInterval(), properties.cancelGracePeriod(), json)
                .withStallTimeout(properties.stallTimeout())
                .withShutdown(() -> stopping, properties.shutdownGracePeriod());
    }

    /** What the queue does with a job's execution after {@link #run}: delete it, or release it for the next poll. */
    enum Ending {
        /** The job ended (or there was nothing to run): its queue entry is removed. */
        DONE,
        /** The service is stopping and the job is QUEUED again: its queue entry is made due now and unpicked. */
        REQUEUED
    }

    /** Set once on shutdown: no job starts any more and running children are asked to stop (the cancel path). */
    private volatile boolean stopping;
    private int active;

    Ending run(UUID jobId) {
        enter();
        try {
            if (stopping) {
                return Ending.REQUEUED; // picked while the service stops: untouched, for another instance
            }
            DevicePool.Slot slot;
            try {
                slot = devices.lend(jobId);
            } catch (InterruptedException e) {
                return Ending.REQUEUED; // not started: the queue entry must stay, or the job would wait forever
            }
            try {
                if (stopping) {
                    return Ending.REQUEUED;
                }
                Optional<Job> started = jobs.start(jobId, identity.name(), slot.name());
                return started.isPresent() ? execute(started.get(), slot) : Ending.DONE;
            } finally {
                devices.giveBack(slot);
            }
        } finally {
            leave();
        }
    }

    /**
     * Shutdown, first step after the queue stopped handing out work: every running child gets {@code cancel} on its stdin
     * (stops at its next batch) or is killed after {@code masktune.worker.shutdown-grace-period}; each of their jobs is
     * re-queued with reason {@value JobService#SHUTDOWN_REASON} as its run ends.
     */
    void stopRunning() {
        stopping = true;
        synchronized (this) {
            if (active > 0) {
                log.info("Shutting down: asking {} running job(s) to stop at their next batch; they will be re-queued", active);
            }
        }
    }

    /** Waits until no job runs on this instance; false when some still did after {@code timeout}. */
    synchronized boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void enter() {
        active++;
    }

    private synchronized void leave() {
        active--;
        notifyAll();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Ending execute(Job job, DevicePool.Slot slot) {
        UUID id = job.getId();
        Path workDir = properties.workDir().toAbsolutePath().resolve(id + "-" + job.getAttempt());
        try {
            // a run of the same attempt that was stopped by a shutdown (the attempt is not counted) or a crash of this
            // instance may have left files here: the new run starts from what is stored in the database only
            deleteQuietly(workDir);
            Files.createDirectories(workDir);
            JobHandler handler = handlers.get(job.getType());
            Object config = json.readValue(job.getConfig(), handler.type().configType());
            Map<String, String> inputs = handler.prepareInputs(job, config, workDir);
            JobSpec spec = new JobSpec(id, job.getType(), job.getAttempt(), json.readTree(job.getConfig()),
                    slot.isGpu() ? "gpu" : "cpu", workDir.toString(), inputs);
            Path specFile = workDir.resolve("job-spec.json");
            json.writeValue(specFile.toFile(), spec);
            EventDispatcher dispatcher = new EventDispatcher(job, handler, workDir);
            if (stopping) {
                return requeue(id);
            }
            ChildJvm.Outcome outcome;
            try (JobLog log = new JobLog(logs.open(id))) {
                log.writer.line("[masktune] attempt " + job.getAttempt() + " of " + job.getMaxAttempts() + " on " + slot.name()
                        + " by " + identity.name() + " at " + java.time.Instant.now());
                outcome = childJvm.run(specFile, slot.gpuIndex(), dispatcher, () -> jobs.isCancelRequested(id), log::line);
                log.writer.line("[masktune] child JVM exited with code " + outcome.exitCode());
                if (stopping && outcome.cancelSent()) {
                    log.writer.line("[masktune] " + JobService.SHUTDOWN_REASON + ": the child was asked to stop at its next batch");
                }
            }
            return finish(id, outcome);
        } catch (InterruptedException e) {
            // only the queue's own shutdown interrupts a worker, after the shutdown grace (ChildJvm killed the child):
            // hand the job back now rather than leave it RUNNING with its queue entry gone. The flag stays cleared so
            // that the database writes of the re-queue and of the queue entry can still get a connection.
            log.warn("Worker interrupted while running job {}; re-queueing it", id);
            return requeue(id);
        } catch (Exception e) {
            log.error("Job {} failed in the worker", id, e);
            jobs.fail(id, "WORKER_ERROR", e.getMessage() == null ? "unexpected error in the worker (see the service log)" : e.getMessage());
        } catch (OutOfMemoryError e) {
            // the allocations that failed belonged to this job's staging or results; they are garbage now
            log.error("Job {} ran out of memory in the worker", id, e);
            jobs.fail(id, "OUT_OF_MEMORY", "the service ran out of memory handling this job's data in the worker");
        } finally {
            deleteQuietly(workDir);
        }
        return Ending.DONE;
    }

    /** The job goes back to QUEUED, uncounted, and its queue entry is released for the next poll of any instance. */
    private Ending requeue(UUID id) {
        return jobs.requeueForShutdown(id, identity.name()) ? Ending.REQUEUED : Ending.DONE;
    }

    private Ending finish(UUID id, ChildJvm.Outcome outcome) {
        ChildEvent end = outcome.terminalEvent();
        if (outcome.stalled()) {
            jobs.fail(id, "STALLED", "the job reported no progress for " + properties.stallTimeout()
                    + " (masktune.worker.stall-timeout); its JVM was killed");
            return Ending.DONE;
        }
        if (end != null && end.is(ChildEvent.DONE) && outcome.exitCode() == 0) {
            jobs.succeed(id, "finished");
        } else if (stopping && outcome.cancelSent() && (end == null || end.is(ChildEvent.CANCELLED)) && !jobs.isCancelRequested(id)) {
            // stopped (or killed after the grace) because this service stops, not because a user cancelled
            return requeue(id);
        } else if (end != null && end.is(ChildEvent.CANCELLED)) {
            jobs.markCancelled(id, "cancelled by request while running: " + end.body().path("message").asString(""));
        } else if (end != null && end.is(ChildEvent.FAILED)) {
            jobs.fail(id, end.body().path("code").asString("TASK_ERROR"), end.body().path("message").asString(""));
        } else if (outcome.cancelSent()) {
            jobs.markCancelled(id, "cancelled by request; the child did not stop within the grace period and was killed");
        } else {
            // the child's output names server paths and classes: it goes to the log, not into the error text
            log.warn("Job {}: the child JVM exited with code {} without finishing; last output:\n{}", id, outcome.exitCode(),
                    outcome.stderrTail());
            jobs.fail(id, "CHILD_CRASHED", "the job's JVM exited with code " + outcome.exitCode()
                    + (outcome.exitCode() > 128 ? " (signal " + (outcome.exitCode() - 128) + ")" : "")
                    + " without finishing; its last output is in the service log");
        }
        return Ending.DONE;
    }

    /** Turns child events into database writes; progress is throttled, everything else is written at once. */
    private final class EventDispatcher implements java.util.function.Consumer<ChildEvent> {
        private final Job job;
        @SuppressWarnings("rawtypes")
        private final JobHandler handler;
        private final Path workDir;
        private long lastProgressWrite;

        EventDispatcher(Job job, @SuppressWarnings("rawtypes") JobHandler handler, Path workDir) {
            this.job = job;
            this.handler = handler;
            this.workDir = workDir;
        }

        /** Uploads the file (bytes, size, SHA-256) and deletes it from the work directory. */
        private void store(ArtifactWritten written) {
            Path file = Path.of(written.file());
            try {
                artifacts.store(job.getId(), written.kind(), written.epoch(), written.architecture(), file, written.metadata());
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void accept(ChildEvent event) {
            switch (event.event()) {
                case ChildEvent.PROGRESS -> {
                    long now = System.nanoTime();
                    double fraction = event.body().path("fraction").asDouble();
                    if (now - lastProgressWrite >= PROGRESS_WRITE_INTERVAL_NANOS || fraction >= 1.0) {
                        lastProgressWrite = now;
                        jobs.reportProgress(job.getId(), fraction, event.body().path("message").asString(null));
                    }
                }
                case ChildEvent.RESULT -> jobs.recordResult(job.getId(), json.writeValueAsString(event.body()));
                case ChildEvent.NOTE -> jobs.note(job.getId(), event.body().path("message").asString(""));
                case ChildEvent.ARTIFACT -> store(json.treeToValue(event.body(), ArtifactWritten.class));
                case ChildEvent.DONE, ChildEvent.FAILED, ChildEvent.CANCELLED -> {
                    // handled once the child has exited
                }
                default -> {
                    try {
                        handler.onEvent(job, event, workDir);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }
    }

    /** The job's log writer, flushed periodically while the child runs so followers see output as it comes. */
    private final class JobLog implements AutoCloseable {
        private final JobLogStore.Writer writer;
        private final java.util.concurrent.ScheduledExecutorService flusher;

        JobLog(JobLogStore.Writer writer) {
            this.writer = writer;
            this.flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "job-log-flusher");
                t.setDaemon(true);
                return t;
            });
            long period = logsProperties.flushInterval().toMillis();
            flusher.scheduleWithFixedDelay(this::flushQuietly, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** Never throws: a database hiccup must not stop the pumps that drain the child's output. */
        void line(String line) {
            try {
                writer.line(line);
            } catch (RuntimeException e) {
                log.warn("Could not write the job log: {}", e.toString());
            }
        }

        private void flushQuietly() {
            try {
                writer.flush();
            } catch (RuntimeException e) {
                log.warn("Could not write the job log: {}", e.toString());
            }
        }

        @Override
        public void close() {
            flusher.shutdownNow();
            try {
                writer.close();
            } catch (RuntimeException e) {
                log.warn("Could not write the end of the job log: {}", e.toString());
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
