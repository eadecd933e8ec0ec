package org.masktune.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.masktune.ml.data.DatasetLoader;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.interop.PyTorch;
import org.masktune.ml.train.LoadedModel;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.Predictor;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Models trained by the service, downloaded as safetensors over HTTP and loaded by PyTorch with the
 * repository's definitions under strict=True: PyTorch's logits on the built-in test split (raw pixels,
 * normalised by PyTorch from the file's metadata) equal the service's to 1e-4, so every prediction is the same.
 */
@IntegrationTest
class PyTorchExportTests {

    @Autowired
    ApiClient api;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"small-cnn, 500", "resnet32, 200"})
    void aTrainedModelRunsInPyTorchWithTheServicesLogitsAndPredictions(String model, int subset) throws Exception {
        PyTorch.python();
        String id = api.submit("train", """
                {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": %d},
                 "model": "%s", "training": {"epochs": 1, "batchSize": 64, "seed": 3}}""".formatted(subset, model));
        api.awaitSucceeded(id, Duration.ofMinutes(15));
        JsonNode best = null;
        for (JsonNode c : api.get("/api/v1/jobs/" + id + "/checkpoints").json()) {
            if (c.path("kind").asString().equals("best")) {
                best = c;
            }
        }
        String content = "/api/v1/checkpoints/" + best.path("id").asString() + "/content";
        Path nativeFile = Files.write(dir.resolve("model.ckpt"), api.getBytes(content).body());
        ApiClient.BinaryResponse download = api.getBytes(content + "?format=safetensors");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("ETag")).isEqualTo("\"" + sha256(download.body()) + "\"");
        Path safetensors = Files.write(dir.resolve("model.safetensors"), download.body());

        ImageSet test = DatasetLoader.load(DatasetSpec.builtIn("biased-mnist"), (Path) null).split("test-original");
        float[][] service;
        java.util.List<String> classNames;
        try (NDManager manager = NDManager.newBaseManager()) {
            LoadedModel checkpoint = CheckpointFile.read(nativeFile, manager);
            classNames = checkpoint.spec().classNames();
            service = Predictor.logits(checkpoint.classifier(), test, ImageBatches.evaluation(checkpoint.spec().normalization()),
                    Device.cpu(), 256);
        }
        Files.write(dir.resolve("pixels.u8"), test.pixels());
        Path out = dir.resolve("logits.bin");
        PyTorch.run(PyTorch.REFERENCE.toString(), "logits", safetensors.toString(), dir.resolve("pixels.u8").toString(),
                String.valueOf(test.size()), out.toString(), "--uint8");

        float[] pytorch = PyTorch.readFloats(out);
        double difference = PyTorch.maxAbsDifference(service, pytorch);
        int k = service[0].length;
        int disagreements = 0;
        for (int i = 0; i < test.size(); i++) {
            disagreements += argmax(service[i], 0, k) == argmax(pytorch, i * k, k) ? 0 : 1;
        }
        System.out.printf("%s trained by the service: %d test images, max |logit difference| vs PyTorch %.3g, %d predictions differ%n",
                model, test.size(), difference, disagreements);
        assertThat(test.size()).isEqualTo(2000);
        assertThat(difference).isLessThanOrEqualTo(1e-4);
        assertThat(disagreements).isZero();
        JsonNode metadata = api.json().readTree(Files.readString(dir.resolve("logits.bin.json"))).path("metadata");
        assertThat(metadata.path("architecture").asString()).isEqualTo(model);
        assertThat(metadata.path("checkpoint_sha256").asString()).isEqualTo(best.path("sha256").asString());
        assertThat(metadata.path("job_id").asString()).isEqualTo(id);
        assertThat(api.json().readTree(metadata.path("class_names").asString()).valueStream().map(JsonNode::asString).toList())
                .hasSize(2).isEqualTo(classNames);
        assertThat(api.json().readTree(metadata.path("provenance").asString()).path("jobId").asString()).isEqualTo(id);
    }

    private static int argmax(float[] values, int from, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (values[from + j] > values[from + best]) {
                best = j;
            }
        }
        return best;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
