package org.masktune.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxAttempts        how often a job is started before a worker death fails it for good
 * @param renderedCacheSize  memory for the JSON of polled jobs kept between polls (see {@link RenderedJobs})
 */
@ConfigurationProperties("masktune.jobs")
public record JobsProperties(@DefaultValue("3") int maxAttempts, @DefaultValue("32MB") DataSize renderedCacheSize) {

    public JobsProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("masktune.jobs.max-attempts must be at least 1");
        }
        if (renderedCacheSize.isNegative()) {
            throw new IllegalArgumentException("masktune.jobs.rendered-cache-size must not be negative");
        }
    }
}
