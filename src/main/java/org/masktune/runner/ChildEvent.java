package org.masktune.runner;

import tools.jackson.databind.JsonNode;

/**
 * One line of the child-to-parent protocol: a JSON object with an {@code event} name and a body.
 * Generic events are {@link #PROGRESS}, {@link #RESULT}, {@link #DONE}, {@link #FAILED} and
 * {@link #CANCELLED}, {@link #NOTE} and {@link #ARTIFACT}; job types add their own (epoch metrics, split results, ...).
 */
public record ChildEvent(String event, JsonNode body) {

    /** Marks protocol lines on the child's stdout; anything else there is treated as log output. */
    public static final String LINE_PREFIX = "@@masktune ";

    public static final String PROGRESS = "progress";
    public static final String RESULT = "result";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    /** Something the job's history should say without a status change (body: {@code message}), e.g. a replaced head. */
    public static final String NOTE = "note";
    /** A file for the service to keep as an artifact of the job (body: {@link ArtifactWritten}). */
    public static final String ARTIFACT = "artifact";

    public boolean is(String name) {
        return event.equals(name);
    }
}
