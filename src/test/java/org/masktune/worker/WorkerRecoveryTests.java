package org.masktune.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.masktune.jobs.JobLookup;
import org.masktune.jobs.JobService;
import org.masktune.jobs.JobStatus;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.masktune.support.SerializedTaskData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A worker that dies (its JVM killed) leaves its job RUNNING and its queue entry picked, with a
 * heartbeat that stops advancing. This recreates exactly that state in the database.
 */
@IntegrationTest
class WorkerRecoveryTests {

    @Autowired
    ApiClient api;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void jobOfADeadWorkerIsRequeuedAndRunsAgain() {
        UUID id = leaveRunningOnDeadWorker(1);

        JsonNode job = api.awaitTerminal(id.toString(), Duration.ofSeconds(120));

        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("attempt").asInt()).isEqualTo(2);
        assertThat(reasons(id)).anySatisfy(r -> assertThat(r).contains("dead-host-1 stopped heartbeating during attempt 1; re-queued"));
    }

    @Test
    void jobOfADeadWorkerFailsOnceAttemptsAreUsedUp() {
        UUID id = leaveRunningOnDeadWorker(3);

        JsonNode job = api.awaitTerminal(id.toString(), Duration.ofSeconds(120));

        assertThat(job.path("status").asString()).isEqualTo("FAILED");
        assertThat(job.path("error").path("code").asString()).isEqualTo("WORKER_LOST");
        assertThat(job.path("error").path("message").asString()).contains("all 3 attempts used");
        assertThat(job.path("attempt").asInt()).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?", Integer.class, id.toString()))
                .isZero();
    }

    @Autowired
    JobService jobService;

    @Autowired
    JobLookup jobLookup;

    @Test
    void aShutdownHandsBackOnlyItsOwnRunningJobAndGivesTheAttemptBack() {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, attempt, max_attempts, device, worker, created_at, started_at, updated_at)
                values (?, 'device-check', 'RUNNING', '{"matrixSize":8}'::jsonb, 2, 3, 'cpu:0', 'stopping-host-1', now(), now(), now())""",
                id);

        assertThat(jobService.requeueForShutdown(id, "other-host")).as("not its job").isFalse();
        assertThat(jobLookup.get(id).getStatus()).isEqualTo(JobStatus.RUNNING);

        assertThat(jobService.requeueForShutdown(id, "stopping-host-1")).isTrue();
        var job = jobLookup.get(id);
        assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.getAttempt()).as("attempt 2 given back").isEqualTo(1);
        assertThat(job.getWorker()).isNull();
        assertThat(reasons(id)).last().asString().startsWith("service shutting down: stopping-host-1 stopped the job")
                .endsWith("attempt 2 is not counted");
        // it has no queue entry: leave no QUEUED job behind for the tests sharing this database
        jdbc.update("delete from job_events where job_id = ?", id);
        jdbc.update("delete from jobs where id = ?", id);
    }

    private UUID leaveRunningOnDeadWorker(int attempt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, attempt, max_attempts, device, worker, created_at, started_at, updated_at)
                values (?, 'device-check', 'RUNNING', '{"matrixSize":8,"repeats":1,"holdSeconds":0}'::jsonb, ?, 3,
                        'cpu:0', 'dead-host-1', now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour')""",
                id, attempt);
        jdbc.update("""
                insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, picked_by,
                                             last_heartbeat, version, priority)
                values ('run-job', ?, ?, now() - interval '1 hour', true, 'dead-host-1', now() - interval '1 hour', 1, 0)""",
                id.toString(), SerializedTaskData.of(id.toString()));
        return id;
    }

    private List<String> reasons(UUID id) {
        return jdbc.queryForList("select reason from job_events where job_id = ? order by id", String.class, id);
    }
}
