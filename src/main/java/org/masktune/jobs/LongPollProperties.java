package org.masktune.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Long-polls of jobs and pipelines ({@code ?waitSeconds=}).
 *
 * @param maxWait the longest {@code waitSeconds} accepted (larger is a 400). The servlet's async timeout is derived
 *                from it ({@link #asyncTimeout()}), so a long-poll always ends with its own answer (200 or 304),
 *                never with the container's 503
 */
@ConfigurationProperties("masktune.long-poll")
public record LongPollProperties(@DefaultValue("120s") Duration maxWait) {

    /** What a long-poll may take beyond its wait: the last check, rendering, a slow database. */
    static final Duration ASYNC_MARGIN = Duration.ofSeconds(30);

    public LongPollProperties {
        if (maxWait.isNegative() || maxWait.toSeconds() > 3600) {
            throw new IllegalArgumentException("masktune.long-poll.max-wait must be 0..3600s");
        }
    }

    /** The servlet async timeout for long-polls (Spring MVC's default for async requests). */
    public Duration asyncTimeout() {
        return maxWait.plus(ASYNC_MARGIN);
    }

    /** Checks {@code waitSeconds} against the maximum; the 400 names the parameter. */
    public Duration checkedWait(int waitSeconds) {
        if (waitSeconds < 0 || waitSeconds > maxWait.toSeconds()) {
            throw new InvalidJobConfigException("waitSeconds",
                    "must be between 0 and " + maxWait.toSeconds() + " (masktune.long-poll.max-wait), not " + waitSeconds);
        }
        return Duration.ofSeconds(waitSeconds);
    }
}
