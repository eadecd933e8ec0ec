package org.masktune.masktune;

import org.masktune.masktune.task.MaskTuneTask;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.artifacts.ArtifactKind;
import org.masktune.datasets.StagedDataset;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.saliency.MaskFile;
import org.masktune.ml.saliency.MaskLayer;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;
import org.masktune.ml.train.TrainingProgress;
import org.masktune.runner.ChildEvent;
import org.masktune.runner.JobSpec;
import org.masktune.training.LargerThanHeapTrainTest;
import org.masktune.training.TrainConfig;
import org.masktune.worker.ChildJvm;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MASKTUNE on a training set larger than the child's heap: 10,000 generated 64 × 64 RGB images (123 MB decoded;
 * the 9,000 training images alone are 111 MB) and a MASKTUNE child started with {@code -Xmx96m}. The child
 * builds the cache, computes the saliency from it batch by batch, keeps the masks in a memory-mapped file and
 * fine-tunes on the originals with the masks applied on the fly. The code before held the training set and its
 * masked copy in the heap (221 MB here) and could not run this job. The source checkpoints are a seeded small-cnn
 * written by the test (no TRAIN child, to keep the test short: what is tested is the MASKTUNE child's memory).
 * Here (2 cores shared with other builds, load average about 12) the child took 176 s and the whole Maven run
 * 100 s of CPU. 6,000 images in {@code -Xmx64m} cost the same CPU (batch 100, as 250-image batches three ahead
 * do not fit that heap), so this size stays.
 */
class LargerThanHeapMaskTuneTest {

    static final int IMAGES = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousand64PixelRgbImagesAreMaskedAndFineTunedInA96MegabyteHeap() throws Exception {
        Path root = Files.createDirectories(dir.resolve("data/big"));
        IntStream.range(0, IMAGES).parallel().forEach(i -> LargerThanHeapTrainTest.write(root, i));
        Path work = Files.createDirectories(dir.resolve("work"));
        JsonMapper json = JsonMapper.builder().build();
        TrainConfig train = json.readValue("{\"dataset\": {\"format\": \"IMAGE_FOLDER\", \"path\": \"big\"}, \"model\": \"small-cnn\","
                + " \"training\": {\"epochs\": 1, \"batchSize\": 250, \"seed\": 1}}", TrainConfig.class);
        Path checkpoint = work.resolve("erm.ckpt");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            ImageSet shape = ImageSet.of(3, 64, 64, new byte[3 * 64 * 64], new int[1], List.of("c0", "c1", "c2", "c3"));
            ModelSpec spec = ModelSpec.forData("small-cnn", shape, Normalization.unit(3));
            Classifier model = spec.newClassifier(manager);
            CheckpointFile.write(checkpoint, model, spec, null, TrainingProgress.start(), Map.of());
        }
        Path source = work.resolve("source.json");
        UUID sourceJob = UUID.randomUUID();
        json.writeValue(source.toFile(), new SourceRun(sourceJob, train, "unused", "unused"));
        JsonNode config = json.readTree("{\"sourceJob\": \"" + sourceJob + "\", \"previewCount\": 4}");
        Map<String, String> inputs = new java.util.HashMap<>(new StagedDataset(root, dir.resolve("cache")).inputs());
        inputs.putAll(Map.of(MaskTuneTask.SOURCE_INPUT, source.toString(), MaskTuneTask.BEST_INPUT, checkpoint.toString(),
                MaskTuneTask.LAST_INPUT, checkpoint.toString()));
        JobSpec spec = new JobSpec(UUID.randomUUID(), MaskTuneConfig.TYPE.name(), 1, config, "cpu", work.toString(), inputs);
        Path specFile = work.resolve("job-spec.json");
        json.writeValue(specFile.toFile(), spec);

        long started = System.nanoTime();
        List<ChildEvent> events = new CopyOnWriteArrayList<>();
        String[] phase = {""};
        java.util.function.Consumer<ChildEvent> timed = e -> {
            events.add(e);
            String message = e.body().path("message").asString("");
            String now = message.startsWith("preparing") ? "cache" : message.startsWith("masking") ? "masking"
                    : message.startsWith("fine-tuning") ? "fine-tune" : phase[0];
            if (!now.equals(phase[0])) {
                phase[0] = now;
                System.out.printf("  %s from %.1f s%n", now, (System.nanoTime() - started) / 1e9);
            }
        };
        ChildJvm child = new ChildJvm("-Xmx96m -XX:+UseSerialGC -Dmasktune.loader-threads=2", Duration.ofSeconds(1),
                Duration.ofSeconds(10), json);
        ChildJvm.Outcome outcome = child.run(specFile, null, timed, () -> false);
        System.out.printf("MASKTUNE child on %d 64x64 RGB images in -Xmx96m: %.1f s%n", IMAGES, (System.nanoTime() - started) / 1e9);

        assertThat(outcome.exitCode()).as(outcome.stderrTail()).isZero();
        assertThat(outcome.terminalEvent().event()).isEqualTo(ChildEvent.DONE);
        ChildEvent result = events.stream().filter(e -> e.event().equals(ChildEvent.RESULT)).findFirst().orElseThrow();
        assertThat(result.body().path("rounds").get(0).path("masking").path("images").asInt()).isEqualTo(9_000);
        // the classes differ in colour: one fine-tune epoch learns them, whatever a few masked pixels hide
        assertThat(result.body().path("validationAccuracy").asDouble()).isGreaterThan(0.9);
        JsonNode masks = events.stream().filter(e -> e.event().equals(ChildEvent.ARTIFACT))
                .map(ChildEvent::body).filter(b -> b.path("kind").asString().equals(ArtifactKind.MASKS.id())).findFirst().orElseThrow();
        Path file = Path.of(masks.path("file").asString());
        List<MaskLayer> layers = MaskFile.read(file);
        assertThat(layers).hasSize(1);
        assertThat(layers.get(0).masks().size()).isEqualTo(9_000);
        assertThat(layers.get(0).masks().height()).isEqualTo(64);
        // 512 bytes of bits per image before gzip, against 12,288 bytes of pixels
        assertThat(Files.size(file)).isLessThan(9_000L * 512);
    }
}
