package org.masktune.runner;

/** Thrown by a task that stopped because cancellation was requested. */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException(String message) {
        super(message);
    }
}
