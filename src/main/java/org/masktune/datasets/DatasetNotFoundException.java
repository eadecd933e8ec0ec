package org.masktune.datasets;

import java.util.List;

/** No built-in and no registered dataset has this name (→ 404). */
public class DatasetNotFoundException extends RuntimeException {

    private final String name;

    public DatasetNotFoundException(String name, List<String> builtIns) {
        super("no dataset named '" + name + "'; built-ins are " + String.join(", ", builtIns)
                + ", registered ones are listed by GET /api/v1/datasets");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
