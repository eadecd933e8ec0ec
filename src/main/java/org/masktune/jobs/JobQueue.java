package org.masktune.jobs;

import java.util.UUID;

/** Where submitted jobs wait for a worker. Calls join the caller's transaction. */
public interface JobQueue {

    void enqueue(UUID jobId, int priority);

    /** Drops a job that has not been picked up yet; does nothing if a worker already has it. */
    void withdraw(UUID jobId);
}
