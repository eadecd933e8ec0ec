package org.masktune.datasets;

/** The name is taken, by a registered dataset or a built-in (→ 409). Datasets are never replaced. */
public class DatasetAlreadyExistsException extends RuntimeException {

    private final String name;

    public DatasetAlreadyExistsException(String name, String why) {
        super("dataset name '" + name + "' " + why + "; choose another name");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
