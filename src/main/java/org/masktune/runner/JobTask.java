package org.masktune.runner;

/**
 * The computation of one job type, run inside a child JVM with no Spring and no database.
 * Implementations are found with {@link java.util.ServiceLoader} (META-INF/services); each is named
 * by the {@link JobType} it returns, the same constant its service-side handler returns.
 */
public interface JobTask {

    /** The job type this task runs, the same constant as the service-side handler's. */
    JobType<?> type();

    /**
     * Runs the job. Return normally for success (after {@link TaskContext#result} if it has one);
     * throw {@link JobCancelledException} when {@link TaskContext#cancelRequested()} was seen, any
     * other exception for a failure.
     */
    void run(TaskContext context) throws Exception;
}
