package org.masktune.runner;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One job type, named once: the path segment and stored type name, the config record that is both the
 * request body and the stored jsonb, and the task that runs it in the child JVM. The service side's
 * {@code JobHandler} and the child side's {@link JobTask} both return the same constant, and the service
 * refuses to start when a handler's task is not registered for the child (META-INF/services).
 *
 * @param <C> the config record
 */
public record JobType<C>(String name, Class<C> configType, Class<? extends JobTask> task) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public JobType {
        Objects.requireNonNull(configType, "configType");
        Objects.requireNonNull(task, "task");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a job type name is lower-case letters, digits and dashes, not '" + name + "'");
        }
    }

    /** Whether {@code storedType} (a job row's type column) is this type. */
    public boolean is(String storedType) {
        return name.equals(storedType);
    }

    @Override
    public String toString() {
        return name;
    }
}
