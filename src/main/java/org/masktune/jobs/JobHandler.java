package org.masktune.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.masktune.runner.ChildEvent;
import org.masktune.runner.JobType;

/**
 * The service side of one job type: its typed config, the checks a submit must pass beyond Bean
 * Validation, the inputs to stage for the child JVM, and what to persist from the child's events.
 * The computation itself is the matching {@code org.masktune.runner.JobTask} in the child.
 *
 * @param <C> the config record, also the request body and the stored jsonb
 */
public interface JobHandler<C> {

    /** The job type, the same constant its child-side task returns. */
    JobType<C> type();

    /** Domain checks needing the database (e.g. the source job exists); throw {@link InvalidJobConfigException}. */
    default void checkSubmittable(C config) {
    }

    /** Writes the files the child needs into {@code workDir}; returns name → path for {@code JobSpec.inputs}. */
    default Map<String, String> prepareInputs(Job job, C config, Path workDir) throws IOException {
        return Map.of();
    }

    /** Persists a job-type specific event (metrics, checkpoints...). Generic events never reach here. */
    default void onEvent(Job job, ChildEvent event, Path workDir) throws IOException {
    }
}
