package org.masktune.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxAttempts how often a job is started before a worker death fails it for good
 */
@ConfigurationProperties("masktune.jobs")
public record JobsProperties(@DefaultValue("3") int maxAttempts) {

    public JobsProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("masktune.jobs.max-attempts must be at least 1");
        }
    }
}
