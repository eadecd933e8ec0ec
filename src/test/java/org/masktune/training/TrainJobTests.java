package org.masktune.training;

import org.masktune.artifacts.ArtifactKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.support.ApiClient;
import org.masktune.support.TrainedJobs;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.masktune.support.SerializedTaskData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class TrainJobTests {

    private static final Duration TRAIN_TIMEOUT = Duration.ofMinutes(4);
    /** 2,000 training digits of biased-mnist (1 % bias-conflicting), small-cnn, batch 64. */
    private static final String CONFIG = """
            {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": 2000},
             "model": "small-cnn",
             "training": {"epochs": %d, "batchSize": 64, "seed": 7}}""";

    @Autowired
    ApiClient api;

    /** Both tests read the same 2-epoch job: trained once per context. */
    @Autowired
    TrainedJobs trained;

    @Autowired
    ArtifactStore checkpoints;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void trainsOnTheBuiltInSetStoresMetricsAndDownloadableCheckpoints() throws Exception {
        String id = trained.succeeded(CONFIG.formatted(2), TRAIN_TIMEOUT);

        JsonNode job = api.job(id);

        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        // Biased MNIST with 99 % aligned squares is easy in-distribution: measured 0.99+ after 2 epochs.
        assertThat(job.path("result").path("bestValidationAccuracy").asDouble()).isGreaterThan(0.95);
        assertThat(job.path("result").path("trainImages").asInt()).isEqualTo(1800);
        assertThat(job.path("result").path("validationImages").asInt()).isEqualTo(200);

        JsonNode metrics = api.get("/api/v1/jobs/" + id + "/metrics").json();
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(0).path("epoch").asInt()).isEqualTo(1);
        assertThat(metrics.get(1).path("epoch").asInt()).isEqualTo(2);
        assertThat(metrics.get(1).path("learningRate").asDouble()).isEqualTo(0.01);
        assertThat(metrics.get(1).path("imagesPerSecond").asDouble()).isPositive();
        assertThat(metrics.get(1).path("validationAccuracy").asDouble()).isBetween(0.5, 1.0);

        JsonNode list = api.get("/api/v1/jobs/" + id + "/checkpoints").json();
        assertThat(list.valueStream().map(c -> c.path("kind").asString()).toList()).containsExactlyInAnyOrder("best", "last");
        JsonNode last = null;
        for (JsonNode c : list) {
            if (c.path("kind").asString().equals("last")) {
                last = c;
            }
        }
        assertThat(last.path("epoch").asInt()).isEqualTo(2);
        JsonNode provenance = last.path("metadata").path("provenance");
        assertThat(provenance.path("jobId").asString()).isEqualTo(id);
        assertThat(provenance.path("jobType").asString()).isEqualTo("train");
        assertThat(provenance.path("attempt").asInt()).isEqualTo(1);
        assertThat(provenance.path("seed").isIntegralNumber()).as(provenance.toString()).isTrue();
        assertThat(provenance.path("datasetFingerprint").asString()).hasSize(64);
        assertThat(provenance.path("appVersion").asString()).isNotBlank();
        assertThat(provenance.path("kind").asString()).isEqualTo("last");

        String contentPath = "/api/v1/checkpoints/" + last.path("id").asString() + "/content";
        ApiClient.BinaryResponse download = api.getBytes(contentPath);
        assertThat(download.status()).isEqualTo(200);
        byte[] bytes = download.body();
        assertThat(bytes.length).isEqualTo(last.path("sizeBytes").asLong());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                .isEqualTo(last.path("sha256").asString());

        ApiClient.BinaryResponse range = api.getBytes(contentPath, "Range", "bytes=100-199");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body())
                .containsExactly(java.util.Arrays.copyOfRange(bytes, 100, 200));
    }

    @Test
    void aRerunAfterAWorkerDiedResumesFromTheLastFinishedEpoch() throws Exception {
        // The uninterrupted reference run, and a one-epoch run whose last checkpoint plays the interrupted attempt.
        String firstEpoch = api.submit("train", CONFIG.formatted(1));
        String reference = trained.succeeded(CONFIG.formatted(2), TRAIN_TIMEOUT);
        JsonNode referenceJob = api.job(reference);
        assertThat(api.awaitTerminal(firstEpoch, TRAIN_TIMEOUT).path("status").asString()).isEqualTo("SUCCEEDED");

        // A 2-epoch job whose worker died after epoch 1: RUNNING on a dead instance, its epoch-1 checkpoint stored.
        UUID resumed = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, attempt, max_attempts, device, worker, created_at, started_at, updated_at)
                values (?, 'train', 'RUNNING', ?::jsonb, 1, 3, 'cpu:0', 'dead-host-2', now(), now(), now())""",
                resumed, referenceJob.path("config").toString());
        Path file = Files.createTempFile("epoch1", ".ckpt");
        var epoch1 = checkpoints.forJob(UUID.fromString(firstEpoch), ArtifactKind.LAST.id()).orElseThrow();
        checkpoints.copyTo(epoch1.getId(), file);
        checkpoints.store(resumed, ArtifactKind.LAST.id(), 1, "small-cnn", file, "{}");
        Files.delete(file);
        jdbc.update("""
                insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, picked_by,
                                             last_heartbeat, version, priority)
                values ('run-job', ?, ?, now() - interval '1 hour', true, 'dead-host-2', now() - interval '1 hour', 1, 0)""",
                resumed.toString(), SerializedTaskData.of(resumed.toString()));

        JsonNode job = api.awaitTerminal(resumed.toString(), TRAIN_TIMEOUT);

        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("attempt").asInt()).isEqualTo(2);
        JsonNode metrics = api.get("/api/v1/jobs/" + resumed + "/metrics").json();
        assertThat(metrics.findValuesAsString("epoch")).as("only epoch 2 was trained again").containsExactly("2");
        double referenceAccuracy = api.get("/api/v1/jobs/" + reference + "/metrics").json().get(1).path("validationAccuracy").asDouble();
        assertThat(metrics.get(0).path("validationAccuracy").asDouble()).isCloseTo(referenceAccuracy, within(1e-9));

        // The same job handed back by a shutdown after epoch 1: QUEUED, its attempt given back (0), its queue entry due.
        // It resumes too, though its next start is attempt 1 again: the stored checkpoint decides, not the attempt.
        UUID handedBack = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, attempt, max_attempts, created_at, started_at, updated_at)
                values (?, 'train', 'QUEUED', ?::jsonb, 0, 3, now(), now(), now())""",
                handedBack, referenceJob.path("config").toString());
        Path again = Files.createTempFile("epoch1", ".ckpt");
        checkpoints.copyTo(epoch1.getId(), again);
        checkpoints.store(handedBack, ArtifactKind.LAST.id(), 1, "small-cnn", again, "{}");
        Files.delete(again);
        jdbc.update("""
                insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority)
                values ('run-job', ?, ?, now(), false, 1, 0)""",
                handedBack.toString(), SerializedTaskData.of(handedBack.toString()));

        JsonNode handedBackJob = api.awaitTerminal(handedBack.toString(), TRAIN_TIMEOUT);

        assertThat(handedBackJob.path("status").asString()).as(handedBackJob.toString()).isEqualTo("SUCCEEDED");
        assertThat(handedBackJob.path("attempt").asInt()).isEqualTo(1);
        JsonNode handedBackMetrics = api.get("/api/v1/jobs/" + handedBack + "/metrics").json();
        assertThat(handedBackMetrics.findValuesAsString("epoch")).as("only epoch 2 was trained again").containsExactly("2");
        assertThat(handedBackMetrics.get(0).path("validationAccuracy").asDouble()).isCloseTo(referenceAccuracy, within(1e-9));
    }

    @Test
    void rejectsAnUnknownModelAndAMissingDatasetNamingTheField() {
        Response unknownModel = api.post("/api/v1/jobs/train", """
                {"dataset": {"format": "BUILTIN", "name": "mnist-10k"}, "model": "alexnet"}""");
        assertThat(unknownModel.status()).isEqualTo(400);
        assertThat(unknownModel.json().path("errors").get(0).path("field").asString()).isEqualTo("model");
        assertThat(unknownModel.json().path("detail").asString()).contains("small-cnn");

        Response missing = api.post("/api/v1/jobs/train", "{\"model\": \"small-cnn\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").get(0).path("field").asString()).isEqualTo("dataset");

        Response escape = api.post("/api/v1/jobs/train", """
                {"dataset": {"format": "IDX", "path": "../../etc"}, "model": "small-cnn"}""");
        assertThat(escape.status()).isEqualTo(400);
        assertThat(escape.json().path("errors").get(0).path("field").asString()).isEqualTo("dataset.path");
    }
}
