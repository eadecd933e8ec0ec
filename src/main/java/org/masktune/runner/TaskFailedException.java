package org.masktune.runner;

/** A failure with a stable code that clients can match on (e.g. CHECKPOINT_CORRUPT). */
public class TaskFailedException extends RuntimeException {

    private final String code;

    public TaskFailedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public TaskFailedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
