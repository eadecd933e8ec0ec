package org.masktune.worker;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import java.time.Instant;
import java.util.UUID;
import org.masktune.jobs.JobQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job queue as db-scheduler one-time executions, one per job, keyed by the job id. */
class DbSchedulerJobQueue implements JobQueue {

    private static final Logger log = LoggerFactory.getLogger(DbSchedulerJobQueue.class);
    private final SchedulerClient client;

    DbSchedulerJobQueue(SchedulerClient client) {
        this.client = client;
    }

    @Override
    public void enqueue(UUID jobId, int priority) {
        client.schedule(WorkerConfiguration.RUN_JOB.instance(jobId.toString())
                .data(jobId.toString())
                .priority(priority)
                .scheduledTo(Instant.now()));
    }

    @Override
    public void withdraw(UUID jobId) {
        try {
            client.cancel(WorkerConfiguration.RUN_JOB.instanceId(jobId.toString()));
        } catch (RuntimeException e) {
            // already picked by a worker: it will find the job CANCELLED and skip it
            log.debug("Job {} could not be withdrawn from the queue: {}", jobId, e.getMessage());
        }
    }
}
