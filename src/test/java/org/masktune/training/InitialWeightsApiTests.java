package org.masktune.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.ml.interop.InteropModels;
import org.masktune.ml.interop.Safetensors;
import org.masktune.ml.interop.SafetensorsExport;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.TrainingProgress;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * TRAIN from initial weights over HTTP, and the safetensors download: a head for other classes is
 * replaced and said so in the job's events, a file of another architecture or a truncated file is a
 * 400 naming what is wrong, a checkpoint id works as a source, and the provenance keeps the SHA-256.
 */
@IntegrationTest
class InitialWeightsApiTests {

    /** The data root of the test profile (masktune.datasets.roots). */
    private static final Path ROOT = Path.of("target/test-datasets");
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final String TRAIN = """
            {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": 200},
             "model": "%s", "training": {"epochs": 1, "batchSize": 64, "learningRate": 1e-7, "momentum": 0.0, "weightDecay": 0.0, "seed": 5},
             "initialWeights": %s}""";

    @Autowired
    ApiClient api;

    @Autowired
    ArtifactStore store;

    @Autowired
    JdbcTemplate jdbc;

    /** A seeded model exported as safetensors under the data root; returns its path relative to the root. */
    private static String weightsFile(ModelSpec spec, String name, int cut) throws Exception {
        ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
        try (NDManager manager = NDManager.newBaseManager()) {
            CheckpointFile.write(checkpoint, InteropModels.seeded(spec, manager, 9), spec, null, TrainingProgress.start(), Map.of());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsExport.export(new ByteArrayInputStream(checkpoint.toByteArray()), out, Map.of());
        byte[] bytes = out.toByteArray();
        String relative = "weights-" + UUID.randomUUID() + "/" + name;
        Path file = ROOT.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, Arrays.copyOf(bytes, bytes.length - cut));
        return relative;
    }

    @Test
    void aHeadForOtherClassesIsReplacedSaidSoInTheEventsAndTheFileShaIsInTheProvenance() throws Exception {
        String relative = weightsFile(InteropModels.spec("small-cnn", 3, 10, 28, false), "small-cnn-10.safetensors", 0);
        Path file = ROOT.resolve(relative);
        String id = api.submit("train", TRAIN.formatted("small-cnn", "{\"path\": \"" + relative + "\"}"));
        api.awaitSucceeded(id, TIMEOUT);

        List<String> reasons = api.readEvents("/api/v1/jobs/" + id + "/events", Duration.ofSeconds(30)).stream()
                .filter(e -> e.name().equals("state")).map(e -> api.json().readTree(e.data()).path("reason").asString()).toList();
        assertThat(reasons).contains("initialWeights: the classifier head in the file (fc2.weight [10, 256], fc2.bias [10]) does not fit"
                + " 2 outputs; replaced by a new fc2.weight [2, 256], fc2.bias [2], initialised from the job's seed");

        JsonNode best = checkpoint(id, "best");
        JsonNode initial = best.path("metadata").path("provenance").path("initialWeights");
        assertThat(initial.path("path").asString()).isEqualTo(relative);
        assertThat(initial.path("sha256").asString()).isEqualTo(sha256(Files.readAllBytes(file)));
        assertThat(initial.path("headReplaced").asBoolean()).isTrue();

        // lr 1e-7 for one epoch: the trained conv1 is still the file's conv1
        Path trained = Files.write(ROOT.resolve(relative + ".trained"),
                api.getBytes("/api/v1/checkpoints/" + best.path("id").asString() + "/content?format=safetensors").body());
        float[] before = Safetensors.readFloats(file, Safetensors.readHeader(file), "conv1.weight");
        float[] after = Safetensors.readFloats(trained, Safetensors.readHeader(trained), "conv1.weight");
        float max = 0;
        for (int i = 0; i < before.length; i++) {
            max = Math.max(max, Math.abs(before[i] - after[i]));
        }
        assertThat(max).isLessThan(1e-4f);
        assertThat(Arrays.stream(toDouble(before)).map(Math::abs).max().orElse(0)).isGreaterThan(0.01);

        // and the next job starts from that checkpoint by id: same architecture and classes, nothing replaced
        String next = api.submit("train", TRAIN.formatted("small-cnn", "{\"checkpoint\": \"" + best.path("id").asString() + "\"}"));
        api.awaitSucceeded(next, TIMEOUT);
        JsonNode fromCheckpoint = checkpoint(next, "last").path("metadata").path("provenance").path("initialWeights");
        assertThat(fromCheckpoint.path("checkpoint").asString()).isEqualTo(best.path("id").asString());
        assertThat(fromCheckpoint.path("checkpointSha256").asString()).isEqualTo(best.path("sha256").asString());
        assertThat(fromCheckpoint.path("sha256").asString()).isEqualTo(sha256(Files.readAllBytes(trained)));
        assertThat(fromCheckpoint.path("headReplaced").asBoolean()).isFalse();

        ApiClient.Response otherArchitecture = api.post("/api/v1/jobs/train",
                TRAIN.formatted("resnet32", "{\"checkpoint\": \"" + best.path("id").asString() + "\"}"));
        assertProblem(otherArchitecture, "initialWeights.checkpoint", "checkpoint " + best.path("id").asString()
                + " is a small-cnn model, the job trains resnet32");
    }

    @Test
    void aFileOfAnotherArchitectureIsA400NamingTheFirstTensorAndBothShapes() throws Exception {
        String relative = weightsFile(InteropModels.spec("resnet18", 3, 2, 28, false), "resnet18.safetensors", 0);
        ApiClient.Response response = api.post("/api/v1/jobs/train", TRAIN.formatted("small-cnn", "{\"path\": \"" + relative + "\"}"));
        assertProblem(response, "initialWeights.path",
                "tensor conv1.weight has shape [64, 3, 3, 3] in the weights file, small-cnn needs [16, 3, 3, 3]");
    }

    @Test
    void aPipelineTrainsItsErmModelFromTheWeightsAndRefusesOnesThatDoNotFitBeforeCreatingAnything() throws Exception {
        String relative = weightsFile(InteropModels.spec("small-cnn", 3, 2, 28, false), "pipeline-start.safetensors", 0);
        String pipeline = """
                {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": 200},
                 "training": {"epochs": 1, "batchSize": 64, "seed": 5}, "masktune": {"previewCount": 1},
                 "initialWeights": {"path": "%s"}}""";
        ApiClient.Response created = api.post("/api/v1/pipelines/masktune", pipeline.formatted(relative));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().path("id").asString();
        assertThat(created.json().path("config").path("initialWeights").path("path").asString()).isEqualTo(relative);

        // the train stage is created with the pipeline
        String trainJob = created.json().path("stages").get(0).path("jobId").asString();
        api.awaitSucceeded(trainJob, TIMEOUT);
        api.post("/api/v1/pipelines/" + id + "/cancel", null); // the later stages are not what this test is about
        assertThat(api.job(trainJob).path("config").path("initialWeights").path("path").asString()).isEqualTo(relative);
        JsonNode initial = checkpoint(trainJob, "best").path("metadata").path("provenance").path("initialWeights");
        assertThat(initial.path("sha256").asString()).isEqualTo(sha256(Files.readAllBytes(ROOT.resolve(relative))));

        String otherArchitecture = weightsFile(InteropModels.spec("resnet18", 3, 2, 28, false), "pipeline-resnet18.safetensors", 0);
        long pipelinesBefore = jdbc.queryForObject("select count(*) from pipelines", Long.class);
        assertProblem(api.post("/api/v1/pipelines/masktune", pipeline.formatted(otherArchitecture)), "initialWeights.path",
                "tensor conv1.weight has shape [64, 3, 3, 3] in the weights file, small-cnn needs [16, 3, 3, 3]");
        assertThat(jdbc.queryForObject("select count(*) from pipelines", Long.class)).isEqualTo(pipelinesBefore);
    }

    @Test
    void aTruncatedFileIsA400SayingSo() throws Exception {
        String relative = weightsFile(InteropModels.spec("small-cnn", 3, 2, 28, false), "cut.safetensors", 1000);
        ApiClient.Response response = api.post("/api/v1/jobs/train", TRAIN.formatted("small-cnn", "{\"path\": \"" + relative + "\"}"));
        assertProblem(response, "initialWeights.path", "'" + relative + "': truncated: tensor fc2.weight needs data up to byte");
    }

    /** A folder dataset's image shape is known only once loaded: the job checks the shapes and fails naming the tensor. */
    @Test
    void shapesThatOnlyTheLoadedDataRevealFailTheJobWithTheReason() throws Exception {
        Path folder = ROOT.resolve("rgb-" + UUID.randomUUID());
        for (String label : List.of("cat", "dog")) {
            Files.createDirectories(folder.resolve(label));
            for (int i = 0; i < 6; i++) {
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
                image.setRGB(i, i, label.equals("cat") ? 0xFF0000 : 0x00FF00);
                javax.imageio.ImageIO.write(image, "png", folder.resolve(label).resolve(i + ".png").toFile());
            }
        }
        String relative = weightsFile(InteropModels.spec("small-cnn", 1, 2, 28, false), "grey.safetensors", 0);
        String id = api.submit("train", """
                {"dataset": {"format": "IMAGE_FOLDER", "path": "%s"}, "model": "small-cnn",
                 "training": {"epochs": 1, "batchSize": 4, "validationFraction": 0.25}, "initialWeights": {"path": "%s"}}"""
                .formatted(ROOT.relativize(folder), relative));
        JsonNode job = api.awaitTerminal(id, TIMEOUT);
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.path("error").path("code").asString()).isEqualTo("INITIAL_WEIGHTS_MISMATCH");
        assertThat(job.path("error").path("message").asString())
                .isEqualTo("initialWeights: tensor conv1.weight has shape [16, 1, 3, 3] in the weights file, small-cnn needs [16, 3, 3, 3]");
    }

    @Test
    void pathsOutsideTheRootsUnknownCheckpointsAndBothSourcesAreRefused() {
        assertProblem(api.post("/api/v1/jobs/train", TRAIN.formatted("small-cnn", "{\"path\": \"/etc/passwd\"}")),
                "initialWeights.path", "weights file '/etc/passwd' is outside the data roots");
        assertProblem(api.post("/api/v1/jobs/train", TRAIN.formatted("small-cnn", "{\"path\": \"../x.safetensors\"}")),
                "initialWeights.path", "must not contain '..'");
        UUID unknown = UUID.randomUUID();
        assertProblem(api.post("/api/v1/jobs/train", TRAIN.formatted("small-cnn", "{\"checkpoint\": \"" + unknown + "\"}")),
                "initialWeights.checkpoint", "no checkpoint " + unknown);
        assertProblem(api.post("/api/v1/jobs/train", TRAIN.formatted("small-cnn", "{\"checkpoint\": \"" + unknown + "\", \"path\": \"a\"}")),
                "initialWeights", "initialWeights needs exactly one of path");
    }

    @Test
    void safetensorsDownloadsHaveTheirOwnStableEtagRangesAnd304() throws Exception {
        String id = api.submit("train", TRAIN.formatted("small-cnn", "null"));
        api.awaitSucceeded(id, TIMEOUT);
        JsonNode last = checkpoint(id, "last");
        String content = "/api/v1/checkpoints/" + last.path("id").asString() + "/content";
        ApiClient.BinaryResponse whole = api.getBytes(content + "?format=safetensors");
        assertThat(whole.status()).isEqualTo(200);
        String sha = sha256(whole.body());
        assertThat(whole.header("ETag")).isEqualTo("\"" + sha + "\"").isNotEqualTo("\"" + last.path("sha256").asString() + "\"");
        assertThat(whole.header("Repr-Digest")).isEqualTo("sha-256=:" + java.util.Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex(sha)) + ":");
        assertThat(whole.header("Content-Disposition")).isEqualTo("attachment; filename=\"" + id + "-last.safetensors\"");
        assertThat(whole.header("Content-Length")).isEqualTo(String.valueOf(whole.body().length));

        // made again from scratch (cache emptied), the bytes and so the ETag are the same
        try (var files = Files.list(Path.of("target/test-exports"))) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        assertThat(sha256(api.getBytes(content + "?format=safetensors").body())).isEqualTo(sha);

        ApiClient.BinaryResponse range = api.getBytes(content + "?format=safetensors", "Range", "bytes=8-107");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 8, 108));
        assertThat(range.header("Content-Range")).isEqualTo("bytes 8-107/" + whole.body().length);
        assertThat(api.getBytes(content + "?format=safetensors", "If-None-Match", "\"" + sha + "\"").status()).isEqualTo(304);
        assertThat(api.getBytes(content, "If-None-Match", "\"" + sha + "\"").status()).as("the native file has its own ETag").isEqualTo(200);

        ApiClient.Response unknownFormat = api.get(content + "?format=onnx");
        assertProblem(unknownFormat, "format", "unknown format 'onnx'; known: native, safetensors");

        byte[] random = new byte[1000];
        new java.util.Random(1).nextBytes(random);
        Path noise = Files.write(ROOT.resolve("noise-" + UUID.randomUUID() + ".ckpt"), random);
        var stored = store.store(UUID.fromString(id), "noise", 1, "small-cnn", noise, null);
        ApiClient.Response notAModel = api.get("/api/v1/checkpoints/" + stored.getId() + "/content?format=safetensors");
        assertThat(notAModel.status()).as(notAModel.body()).isEqualTo(409);
        assertThat(notAModel.json().path("detail").asString()).contains("not a MaskTune checkpoint");
    }

    private JsonNode checkpoint(String job, String kind) {
        for (JsonNode c : api.get("/api/v1/jobs/" + job + "/checkpoints").json()) {
            if (c.path("kind").asString().equals(kind)) {
                return c;
            }
        }
        throw new AssertionError("job " + job + " has no " + kind + " checkpoint");
    }

    private static void assertProblem(ApiClient.Response response, String field, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode errors = response.json().path("errors");
        assertThat(errors.valueStream().map(e -> e.path("field").asString()).toList()).as(response.body()).contains(field);
        assertThat(response.json().path("detail").asString()).as(response.body()).contains(messagePart);
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
