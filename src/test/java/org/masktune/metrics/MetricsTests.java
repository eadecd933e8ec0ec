package org.masktune.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

/** Each gauge moves when a job is queued, runs and ends (read as Prometheus scrapes them). */
@IntegrationTest
class MetricsTests {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    ApiClient api;

    @Test
    void gaugesMoveWhenAJobIsQueuedRunsAndEnds() throws Exception {
        String before = scrape();
        double succeededBefore = value(before, "masktune_jobs{status=\"SUCCEEDED\",type=\"device-check\"}");
        double durationsBefore = value(before, "masktune_job_duration_seconds_count{status=\"SUCCEEDED\",type=\"device-check\"}");
        double schedulerOkBefore = value(before, "dbscheduler_task_completions_total{result=\"ok\",task=\"run-job\"}");

        String holder = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1,\"holdSeconds\":300}");
        api.awaitStatus(holder, "RUNNING", JOB_TIMEOUT);
        String queued = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1}");
        Thread.sleep(1200); // the gauges read the database at most once a second
        String waiting = scrape();

        assertThat(value(waiting, "masktune_queue_depth")).isGreaterThanOrEqualTo(1);
        assertThat(value(waiting, "masktune_queue_oldest_age_seconds")).isPositive();
        assertThat(value(waiting, "masktune_jobs{status=\"QUEUED\",type=\"device-check\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(waiting, "masktune_jobs{status=\"RUNNING\",type=\"device-check\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(waiting, "masktune_jobs_running")).isGreaterThanOrEqualTo(1);
        assertThat(value(waiting, "masktune_worker_slot_busy{device=\"cpu:0\",kind=\"CPU\"}")).isEqualTo(1);
        assertThat(value(waiting, "masktune_worker_slots{state=\"busy\"}")).isEqualTo(1);
        assertThat(value(waiting, "masktune_worker_slots{state=\"free\"}")).isZero();
        assertThat(waiting).contains("masktune_checkpoints_stored_bytes").contains("masktune_training_images_per_second");

        api.post("/api/v1/jobs/" + holder + "/cancel", null);
        api.awaitSucceeded(queued, JOB_TIMEOUT);
        Thread.sleep(1200);
        String after = scrape();

        assertThat(value(after, "masktune_queue_depth")).isLessThan(value(waiting, "masktune_queue_depth"));
        assertThat(value(after, "masktune_jobs{status=\"QUEUED\",type=\"device-check\"}"))
                .isLessThan(value(waiting, "masktune_jobs{status=\"QUEUED\",type=\"device-check\"}"));
        assertThat(value(after, "masktune_jobs{status=\"SUCCEEDED\",type=\"device-check\"}")).isEqualTo(succeededBefore + 1);
        assertThat(value(after, "masktune_job_duration_seconds_count{status=\"SUCCEEDED\",type=\"device-check\"}"))
                .isEqualTo(durationsBefore + 1);
        assertThat(value(after, "masktune_worker_slot_busy{device=\"cpu:0\",kind=\"CPU\"}")).isZero();
        assertThat(value(after, "masktune_worker_slots{state=\"free\"}")).isEqualTo(1);
        assertThat(value(after, "dbscheduler_task_completions_total{result=\"ok\",task=\"run-job\"}"))
                .as("db-scheduler's own stats").isGreaterThanOrEqualTo(schedulerOkBefore + 2);
    }

    private String scrape() {
        ApiClient.Response response = api.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The sample's value, 0 when the series is absent (a timer not yet recorded). */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
