package org.masktune.datasets;

/** Where a registered dataset stands: being decoded into the cache, usable, or unreadable (with the file at fault). */
public enum DatasetStatus {
    PREPARING,
    READY,
    FAILED
}
