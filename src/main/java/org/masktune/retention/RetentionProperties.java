package org.masktune.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Deleting and keeping.
 *
 * @param artifactsAfter   delete the checkpoints and log of jobs finished longer ago than this, keeping their rows,
 *                         events, metrics and evaluation results; unset = keep everything
 * @param interval         how often the retention sweep runs (when artifactsAfter is set)
 * @param vacuumAfterDelete run a plain {@code VACUUM} of the checkpoint chunk table (and its TOAST table) after a
 *                         deletion freed at least {@code vacuumThreshold}, so the space is reusable at once and free
 *                         pages at the end of the files go back to the operating system
 * @param vacuumThreshold  bytes of checkpoints a deletion must free to trigger that VACUUM
 */
@ConfigurationProperties("masktune.retention")
public record RetentionProperties(
        Duration artifactsAfter,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("true") boolean vacuumAfterDelete,
        @DefaultValue("64MB") org.springframework.util.unit.DataSize vacuumThreshold) {

    public RetentionProperties {
        if (artifactsAfter != null && artifactsAfter.isNegative()) {
            throw new IllegalArgumentException("masktune.retention.artifacts-after must not be negative");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("masktune.retention.interval must be positive");
        }
    }
}
