package org.masktune.artifacts;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param staleAfter an incomplete checkpoint begun longer ago than this is taken as abandoned (its
 *                   writer crashed) and deleted by the next write for the same job or by
 *                   {@link ArtifactStore#removeIncomplete}; must exceed the longest write
 * @param exportDir       local cache of safetensors exports (deterministic, so each instance may keep its own)
 * @param exportCacheSize the cache keeps at most this much, least recently used out first
 */
@ConfigurationProperties("masktune.checkpoints")
public record ArtifactsProperties(@DefaultValue("1h") Duration staleAfter, @DefaultValue("./data/exports") Path exportDir,
        @DefaultValue("2GB") DataSize exportCacheSize) {

    public ArtifactsProperties {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("masktune.checkpoints.stale-after must be positive");
        }
    }
}
