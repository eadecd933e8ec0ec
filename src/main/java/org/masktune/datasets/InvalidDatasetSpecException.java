package org.masktune.datasets;

/**
 * A well-formed spec that cannot be used: its path escapes the data roots or does not exist there,
 * or its options do not fit the data (→ 400 naming the field).
 * <p>
 * The field is relative to the spec ({@code path}, or null for the spec as a whole), because the
 * spec sits at different places in different requests: the registry API reports it under
 * {@code spec}, a job config would use {@link #field(String)} with its own prefix.
 */
public class InvalidDatasetSpecException extends RuntimeException {

    private final String specField;

    /*
     * No cause on purpose: the causes are IllegalArgumentExceptions, and exception-handler lookup
     * falls back to causes, so another advice's IllegalArgumentException handler could claim this
     * exception and drop the field. The message carries everything the cause said.
     */
    public InvalidDatasetSpecException(String specField, String message) {
        super(message);
        this.specField = specField;
    }

    /** The offending spec component, e.g. {@code path}; null when the spec as a whole is at fault. */
    public String specField() {
        return specField;
    }

    /** The field as a request names it, with the spec at {@code specPrefix}: e.g. {@code spec.path}. */
    public String field(String specPrefix) {
        return specField == null ? specPrefix : specPrefix + "." + specField;
    }
}
