package org.masktune.jobs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** All job types the service knows, by name. */
@Component
public class JobHandlers {

    private final Map<String, JobHandler<?>> byType = new TreeMap<>();

    public JobHandlers(List<JobHandler<?>> handlers) {
        for (JobHandler<?> handler : handlers) {
            if (byType.put(handler.type(), handler) != null) {
                throw new IllegalStateException("two handlers for job type " + handler.type());
            }
        }
    }

    public JobHandler<?> get(String type) {
        JobHandler<?> handler = byType.get(type);
        if (handler == null) {
            throw new UnknownJobTypeException(type, byType.keySet());
        }
        return handler;
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
