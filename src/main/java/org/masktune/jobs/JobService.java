package org.masktune.jobs;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.masktune.runner.JobType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submits jobs and moves them through their states. Each change runs in its own short transaction
 * and relies on the job's version column: two writers racing on one job (a user cancelling while a
 * worker starts it) cannot both win, and the loser retries against the fresh state.
 */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final int MAX_RETRIES = 5;

    private final JobRepository jobs;
    private final JobHandlers handlers;
    private final JobQueue queue;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxAttempts;
    private final ApplicationEventPublisher events;

    public JobService(JobRepository jobs, JobHandlers handlers, JobQueue queue, TransactionTemplate tx, JsonMapper json,
            Clock clock, JobsProperties properties, ApplicationEventPublisher events) {
        this.events = events;
        this.jobs = jobs;
        this.handlers = handlers;
        this.queue = queue;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = properties.maxAttempts();
    }

    public record Submission(Job job, boolean created) {
    }

    /**
     * Creates a QUEUED job and enqueues it in one transaction. With an idempotency key, a repeat of
     * the same request returns the first job; the unique constraint on the key, not a prior lookup,
     * is what guarantees a single job under concurrent submits.
     */
    public <C> Submission submit(JobType<C> type, C config, String idempotencyKey, int priority) {
        return submit(type, config, idempotencyKey, priority, null);
    }

    /** As {@link #submit(JobType, Object, String, int)}, as a stage of pipeline {@code pipelineId}. */
    public <C> Submission submit(JobType<C> type, C config, String idempotencyKey, int priority, UUID pipelineId) {
        handlers.get(type).checkSubmittable(config);
        String configJson = json.writeValueAsString(config);
        String requestHash = Idempotency.requestHash(type.name(), priority, configJson);
        if (idempotencyKey != null) {
            Optional<Job> existing = jobs.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                return replay(existing.get(), idempotencyKey, requestHash);
            }
        }
        try {
            return tx.execute(status -> {
                Job job = new Job(UUID.randomUUID(), type.name(), configJson, priority, maxAttempts, clock.instant());
                job.setIdempotency(idempotencyKey, idempotencyKey == null ? null : requestHash);
                job.setPipelineId(pipelineId);
                job.setSubmittedBy(org.masktune.security.Caller.name());
                jobs.saveAndFlush(job);
                queue.enqueue(job.getId(), priority);
                return new Submission(job, true);
            });
        } catch (DataIntegrityViolationException e) {
            if (idempotencyKey == null) {
                throw e;
            }
            Job winner = jobs.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> e);
            return replay(winner, idempotencyKey, requestHash);
        }
    }

    private static Submission replay(Job existing, String key, String requestHash) {
        Idempotency.requireSameRequest(key, existing.getId(), existing.getRequestHash(), requestHash);
        return new Submission(existing, false);
    }

    public java.util.Set<String> knownTypes() {
        return handlers.types();
    }

    /** Queued: cancelled at once. Running: flagged; the worker stops the child at its next step. */
    public Job cancel(UUID id) {
        return finished(change(id, job -> {
            if (!org.masktune.security.Caller.mayActOn(job.getSubmittedBy())) {
                throw new org.springframework.security.access.AccessDeniedException(
                        "job " + id + " was submitted by another user; only an admin token may cancel it");
            }
            switch (job.getStatus()) {
                case QUEUED -> {
                    job.transitionTo(JobStatus.CANCELLED, "cancelled by request before it started", clock.instant());
                    queue.withdraw(id);
                }
                case RUNNING -> {
                    if (!job.isCancelRequested()) {
                        job.requestCancel(clock.instant());
                    }
                }
                default -> throw new InvalidJobStateException(
                        "job " + id + " is already " + job.getStatus() + "; only QUEUED or RUNNING jobs can be cancelled");
            }
            return job;
        }));
    }

    /**
     * A worker takes the job. If the job is still RUNNING, the worker that had it died (its
     * heartbeat expired): it is re-queued as a new attempt, or failed once attempts are used up.
     *
     * @return the running job, or empty when there is nothing to run (finished, cancelled, exhausted)
     */
    public Optional<Job> start(UUID id, String worker, String device) {
        Job result = finished(change(id, job -> {
            if (job.getStatus() == JobStatus.RUNNING) {
                String lost = "worker " + job.getWorker() + " stopped heartbeating during attempt " + job.getAttempt();
                if (job.getAttempt() >= job.getMaxAttempts()) {
                    job.fail("WORKER_LOST", lost + "; all " + job.getMaxAttempts() + " attempts used", clock.instant());
                    return job;
                }
                job.transitionTo(JobStatus.QUEUED, lost + "; re-queued", clock.instant());
                if (job.isCancelRequested()) {
                    job.transitionTo(JobStatus.CANCELLED, "cancel was requested before the worker died", clock.instant());
                    return job;
                }
            }
            if (job.getStatus() == JobStatus.QUEUED) {
                job.start(worker, device, clock.instant());
            }
            return job;
        }));
        return result.getStatus() == JobStatus.RUNNING && worker.equals(result.getWorker())
                ? Optional.of(result) : Optional.empty();
    }

    /** The reason recorded when a running job is handed back because its service stops (SIGTERM). */
    public static final String SHUTDOWN_REASON = "service shutting down";

    /**
     * The service running the job on {@code worker} is shutting down and stopped the job's child: the job goes back to
     * QUEUED at once (its queue entry is released by the caller) and the attempt is not counted, so a shutdown never uses
     * up {@code max-attempts}. Nothing happens if the job is no longer RUNNING on that worker.
     *
     * @return true when the job was re-queued
     */
    public boolean requeueForShutdown(UUID id, String worker) {
        Job result = change(id, job -> {
            if (job.getStatus() == JobStatus.RUNNING && worker.equals(job.getWorker())) {
                job.requeueUncounted(SHUTDOWN_REASON + ": " + worker + " stopped the job at its next batch and re-queued it;"
                        + " attempt " + job.getAttempt() + " is not counted", clock.instant());
            }
            return job;
        });
        return result.getStatus() == JobStatus.QUEUED;
    }

    public void reportProgress(UUID id, double fraction, String message) {
        change(id, job -> {
            if (job.getStatus() == JobStatus.RUNNING) {
                job.reportProgress(fraction, message, clock.instant());
            }
            return job;
        });
    }

    /** Records {@code reason} in the job's events without changing its status (only while it runs). */
    public void note(UUID id, String reason) {
        change(id, job -> {
            if (job.getStatus() == JobStatus.RUNNING) {
                job.note(reason, clock.instant());
            }
            return job;
        });
    }

    /** A finished job keeps what it had: a late result (its worker was declared lost meanwhile) is dropped. */
    public void recordResult(UUID id, String resultJson) {
        change(id, job -> {
            if (!job.getStatus().isTerminal()) {
                job.recordResult(resultJson, clock.instant());
            }
            return job;
        });
    }

    public Job succeed(UUID id, String reason) {
        return finished(change(id, job -> {
            job.transitionTo(JobStatus.SUCCEEDED, reason, clock.instant());
            return job;
        }));
    }

    public Job fail(UUID id, String code, String message) {
        return finished(change(id, job -> {
            if (!job.getStatus().isTerminal()) {
                // job errors are shown to API users: no server paths or stack frames
                job.fail(code, org.masktune.web.ServerPaths.redact(message), clock.instant());
            }
            return job;
        }));
    }

    public Job markCancelled(UUID id, String reason) {
        return finished(change(id, job -> {
            if (!job.getStatus().isTerminal()) {
                job.transitionTo(JobStatus.CANCELLED, reason, clock.instant());
            }
            return job;
        }));
    }

    /** Tells listeners (pipelines) once the terminal state is committed. */
    private Job finished(Job job) {
        if (job.getStatus().isTerminal()) {
            events.publishEvent(new JobFinished(job.getId(), job.getType(), job.getStatus(), job.getPipelineId()));
        }
        return job;
    }

    public boolean isCancelRequested(UUID id) {
        return jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id)).isCancelRequested();
    }

    private Job change(UUID id, Function<Job, Job> mutation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> {
                    Job job = jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
                    return jobs.saveAndFlush(mutation.apply(job));
                });
            } catch (OptimisticLockingFailureException e) {
                if (attempt == MAX_RETRIES) {
                    throw e;
                }
                log.debug("Job {} changed concurrently, retrying ({} of {})", id, attempt, MAX_RETRIES);
            }
        }
    }

}
