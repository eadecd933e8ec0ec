package org.masktune.worker;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import java.time.Instant;
import java.util.UUID;
import org.masktune.jobs.JobQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The job queue as db-scheduler one-time executions, one per job, keyed by the job id. */
class DbSchedulerJobQueue implements JobQueue {

    private static final Logger log = LoggerFactory.getLogger(DbSchedulerJobQueue.class);
    private final SchedulerClient client;
    private final Runnable checkForDueExecutions;

    /** @param checkForDueExecutions wakes this instance's scheduler to poll now ({@code Scheduler::triggerCheckForDueExecutions}) */
    DbSchedulerJobQueue(SchedulerClient client, Runnable checkForDueExecutions) {
        this.client = client;
        this.checkForDueExecutions = checkForDueExecutions;
    }

    @Override
    public void enqueue(UUID jobId, int priority) {
        client.schedule(WorkerConfiguration.RUN_JOB.instance(jobId.toString())
                .data(jobId.toString())
                .priority(priority)
                .scheduledTo(Instant.now()));
        // db-scheduler's immediate execution wakes the scheduler as soon as schedule() returns, which inside the submit's
        // transaction is before the row is visible: that poll finds nothing, and the job waited for the next poll of
        // whichever instance came first. Waking it again once the transaction committed starts a local submit at once.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    checkForDueExecutions.run();
                }
            });
        }
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
