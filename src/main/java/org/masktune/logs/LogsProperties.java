package org.masktune.logs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Job logs: what each job's child JVM printed.
 *
 * @param maxBytesPerJob  the most a job's log keeps, over all its attempts; what comes later is dropped and the log says so
 * @param flushInterval   how often buffered output is written to the database while a job runs
 * @param followInterval  how often a followed log (?follow=true) looks for new output
 */
@ConfigurationProperties("masktune.logs")
public record LogsProperties(
        @DefaultValue("10MB") DataSize maxBytesPerJob,
        @DefaultValue("500ms") Duration flushInterval,
        @DefaultValue("300ms") Duration followInterval) {

    public LogsProperties {
        if (maxBytesPerJob.toBytes() < 1024) {
            throw new IllegalArgumentException("masktune.logs.max-bytes-per-job must be at least 1KB");
        }
    }
}
