package org.masktune.jobs;

/** A config that is well-formed but cannot run, e.g. it names a job that does not exist (→ 400 naming the field). */
public class InvalidJobConfigException extends RuntimeException {

    private final String field;

    public InvalidJobConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
