package org.masktune.jobs;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.masktune.runner.JobTask;
import org.masktune.runner.JobType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * All job types the service knows, by name. Refuses to start unless every handler's task is registered
 * for the child JVM and every registered task has a handler: otherwise a job type would submit fine and
 * fail only when a worker ran it.
 */
@Component
public class JobHandlers {

    private final Map<String, JobHandler<?>> byType = new TreeMap<>();

    @Autowired
    public JobHandlers(List<JobHandler<?>> handlers) {
        this(handlers, registeredTasks());
    }

    JobHandlers(List<JobHandler<?>> handlers, Set<Class<? extends JobTask>> registeredTasks) {
        for (JobHandler<?> handler : handlers) {
            if (byType.put(handler.type().name(), handler) != null) {
                throw new IllegalStateException("two handlers for job type " + handler.type());
            }
        }
        Set<Class<? extends JobTask>> handled = handlers.stream().map(h -> h.type().task()).collect(Collectors.toSet());
        Set<String> unregistered = names(handled, registeredTasks);
        Set<String> unhandled = names(registeredTasks, handled);
        if (!unregistered.isEmpty() || !unhandled.isEmpty()) {
            throw new IllegalStateException("job types and child tasks disagree: tasks of handlers missing from"
                    + " META-INF/services/" + JobTask.class.getName() + ": " + unregistered + "; registered tasks without a handler: "
                    + unhandled);
        }
    }

    /** The task classes the child JVM's {@link ServiceLoader} finds, without instantiating them. */
    static Set<Class<? extends JobTask>> registeredTasks() {
        return ServiceLoader.load(JobTask.class).stream().map(ServiceLoader.Provider::type).collect(Collectors.toSet());
    }

    private static Set<String> names(Set<Class<? extends JobTask>> these, Set<Class<? extends JobTask>> lessThose) {
        Set<Class<? extends JobTask>> rest = new HashSet<>(these);
        rest.removeAll(lessThose);
        return rest.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    public JobHandler<?> get(String type) {
        JobHandler<?> handler = byType.get(type);
        if (handler == null) {
            throw new UnknownJobTypeException(type, byType.keySet());
        }
        return handler;
    }

    @SuppressWarnings("unchecked")
    public <C> JobHandler<C> get(JobType<C> type) {
        JobHandler<?> handler = get(type.name());
        if (!handler.type().equals(type)) {
            throw new IllegalStateException("the handler of " + type + " serves " + handler.type());
        }
        return (JobHandler<C>) handler;
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
