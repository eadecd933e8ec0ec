package org.masktune.checkpoints;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param staleAfter an incomplete checkpoint begun longer ago than this is taken as abandoned (its
 *                   writer crashed) and deleted by the next write for the same job or by
 *                   {@link CheckpointStore#removeIncomplete}; must exceed the longest write
 */
@ConfigurationProperties("masktune.checkpoints")
public record CheckpointsProperties(@DefaultValue("1h") Duration staleAfter) {

    public CheckpointsProperties {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("masktune.checkpoints.stale-after must be positive");
        }
    }
}
