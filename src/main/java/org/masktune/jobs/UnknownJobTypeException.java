package org.masktune.jobs;

import java.util.Collection;

public class UnknownJobTypeException extends RuntimeException {

    public UnknownJobTypeException(String type, Collection<String> known) {
        super("unknown job type '" + type + "'; known types: " + String.join(", ", known));
    }
}
