package org.masktune.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class JobDeletionTests {

    /** Three full 1 MiB chunks and a partial fourth. */
    private static final int CHECKPOINT_BYTES = 3 * ArtifactStore.CHUNK_SIZE + 12_345;

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ArtifactStore checkpoints;
    @Autowired
    RetentionSweeper retention;
    @Autowired
    JobDeletion deletion;

    @TempDir
    Path dir;

    @Test
    void deletingAFinishedJobFreesItsCheckpointChunksLogAndEvents() throws Exception {
        UUID job = finishedJob("device-check", "{}");
        UUID checkpoint = storeCheckpoint(job, "last");
        jdbc.update("insert into job_logs (job_id, seq, start_offset, bytes, written_at) values (?, 0, 0, ?, now())",
                job, "hello\n".getBytes());
        long chunksBefore = chunks(job);
        long allChunksBefore = count("select count(*) from artifact_chunks");
        JsonNode storage = api.get("/api/v1/jobs/" + job + "/storage").json();
        long tableBefore = tableBytes();

        Response deleted = api.delete("/api/v1/jobs/" + job);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(chunksBefore).isEqualTo(4);
        assertThat(storage.path("checkpointBytes").asLong()).isEqualTo(CHECKPOINT_BYTES);
        assertThat(storage.path("logBytes").asLong()).isEqualTo(6);
        assertThat(deleted.json().path("checkpoints").asLong()).isEqualTo(1);
        assertThat(deleted.json().path("checkpointBytes").asLong()).isEqualTo(CHECKPOINT_BYTES);
        assertThat(deleted.json().path("logBytes").asLong()).isEqualTo(6);
        assertThat(chunks(job)).isZero();
        assertThat(count("select count(*) from artifact_chunks")).isEqualTo(allChunksBefore - 4);
        assertThat(count("select count(*) from artifacts where id = '" + checkpoint + "'")).isZero();
        assertThat(count("select count(*) from job_events where job_id = '" + job + "'")).isZero();
        assertThat(count("select count(*) from job_logs where job_id = '" + job + "'")).isZero();
        assertThat(api.get("/api/v1/jobs/" + job).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/checkpoints/" + checkpoint).status()).isEqualTo(404);

        deletion.vacuumNow();
        long tableAfter = tableBytes();
        System.out.printf("artifact_chunks rows %d -> %d; table with TOAST %d -> %d bytes after VACUUM%n",
                allChunksBefore, allChunksBefore - 4, tableBefore, tableAfter);
    }

    @Test
    void aJobAnEvaluationUsesAnswers409NamingItUnlessCascade() throws Exception {
        UUID train = finishedJob("train", "{}");
        storeCheckpoint(train, "best");
        UUID evaluation = finishedJob("evaluate", "{\"models\": [{\"job\": \"" + train + "\"}]}");

        Response refused = api.delete("/api/v1/jobs/" + train);

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("dependants").get(0).path("id").asString()).isEqualTo(evaluation.toString());
        assertThat(refused.json().path("detail").asString()).contains(evaluation.toString()).contains("cascade=true");
        assertThat(chunks(train)).isEqualTo(4);

        Response cascaded = api.delete("/api/v1/jobs/" + train + "?cascade=true");

        assertThat(cascaded.status()).as(cascaded.body()).isEqualTo(200);
        assertThat(cascaded.json().path("deletedJobs").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder(train.toString(), evaluation.toString());
        assertThat(chunks(train)).isZero();
        assertThat(api.get("/api/v1/jobs/" + evaluation).status()).isEqualTo(404);
    }

    @Test
    void aRunningOrQueuedJobCannotBeDeleted() {
        UUID running = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, max_attempts, attempt, created_at, started_at, updated_at)
                values (?, 'device-check', 'RUNNING', '{}'::jsonb, 3, 1, now(), now(), now())""", running);

        Response refused = api.delete("/api/v1/jobs/" + running);

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().path("detail").asString()).contains("RUNNING").contains("only finished jobs");
        assertThat(count("select count(*) from jobs where id = '" + running + "'")).isEqualTo(1);
        assertThat(api.delete("/api/v1/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
        jdbc.update("update jobs set status = 'CANCELLED', finished_at = now() where id = ?", running);
    }

    @Test
    void retentionDeletesTheArtifactsOfOldJobsAndKeepsTheirRows() throws Exception {
        UUID old = finishedJob("device-check", "{}");
        storeCheckpoint(old, "last");
        jdbc.update("update jobs set finished_at = now() - interval '30 days' where id = ?", old);
        UUID recent = finishedJob("device-check", "{}");
        storeCheckpoint(recent, "last");
        long totalBefore = api.get("/api/v1/storage").json().path("checkpointBytes").asLong();

        RetentionSweeper.Swept swept = retention.sweep(Duration.ofDays(10));

        assertThat(swept.jobs()).isGreaterThanOrEqualTo(1);
        assertThat(chunks(old)).isZero();
        assertThat(chunks(recent)).isEqualTo(4);
        JsonNode kept = api.get("/api/v1/jobs/" + old + "/storage").json();
        assertThat(kept.path("checkpointBytes").asLong()).isZero();
        assertThat(kept.path("artifactsDeletedAt").asString()).isNotEmpty();
        assertThat(api.get("/api/v1/jobs/" + old).json().path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/api/v1/storage").json().path("checkpointBytes").asLong())
                .isLessThanOrEqualTo(totalBefore - CHECKPOINT_BYTES);
    }

    private UUID finishedJob(String type, String config) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, max_attempts, attempt, created_at, started_at, finished_at, updated_at)
                values (?, ?, 'SUCCEEDED', ?::jsonb, 3, 1, now(), now(), now(), now())""", id, type, config);
        jdbc.update("insert into job_events (job_id, at, from_status, to_status, reason) values (?, now(), null, 'QUEUED', 'submitted')", id);
        return id;
    }

    private UUID storeCheckpoint(UUID job, String kind) throws Exception {
        byte[] bytes = new byte[CHECKPOINT_BYTES];
        new Random(job.getLeastSignificantBits()).nextBytes(bytes);
        Path file = Files.write(dir.resolve(job + "-" + kind + ".ckpt"), bytes);
        return checkpoints.store(job, kind, 1, "small-cnn", file, "{}").getId();
    }

    private long chunks(UUID job) {
        return count("select count(*) from artifact_chunks k join artifacts c on c.id = k.artifact_id where c.job_id = '" + job + "'");
    }

    private long tableBytes() {
        return count("select pg_total_relation_size('artifact_chunks')");
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
