package org.masktune.retention;

import java.util.List;
import java.util.UUID;

/** A job others still refer to cannot be deleted on its own (→ 409 naming them). */
public class JobHasDependantsException extends RuntimeException {

    /** A job or pipeline that refers to the job, and how. */
    public record Dependant(String kind, UUID id, String relation) {
    }

    private final List<Dependant> dependants;

    public JobHasDependantsException(UUID id, List<Dependant> dependants) {
        super("job " + id + " is still referred to by " + dependants.stream()
                .map(d -> d.kind() + " " + d.id() + " (" + d.relation() + ")").toList()
                + "; delete those first, or delete with cascade=true to remove them too");
        this.dependants = List.copyOf(dependants);
    }

    public List<Dependant> dependants() {
        return dependants;
    }
}
