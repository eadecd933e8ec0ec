package org.masktune.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.datasets.StagedDataset;
import org.masktune.runner.ChildEvent;
import org.masktune.runner.JobSpec;
import org.masktune.support.BesideOtherTests;
import org.masktune.worker.ChildJvm;
import tools.jackson.databind.json.JsonMapper;

/**
 * A dataset larger than the child's heap trains: 16,000 generated 64×64 RGB images (197 MB decoded,
 * twice the heap) and a TRAIN child JVM started with {@code -Xmx96m}, as the service starts it, for one
 * epoch of small-cnn. (The example, 40,000 images in 256 MB, is the same ratio at 2.5 times
 * the size; its epoch took 70 of the suite's seconds.) The child decodes the folder into the cache first and then reads it memory-mapped; the
 * code before the cache held every split in one Java array and died with an OutOfMemoryError on
 * exactly this job (see the README).
 */
@BesideOtherTests // a child JVM and its own folders
public class LargerThanHeapTrainTest {

    static final int IMAGES = 16_000;
    static final int SIDE = 64;

    @TempDir
    Path dir;

    @Test
    void sixteenThousand64PixelRgbImagesTrainOneEpochInA96MegabyteHeap() throws Exception {
        Path root = Files.createDirectories(dir.resolve("data/big"));
        IntStream.range(0, IMAGES).parallel().forEach(i -> write(root, i));
        Path cache = dir.resolve("cache");
        Path work = Files.createDirectories(dir.resolve("work"));
        JsonMapper json = JsonMapper.builder().build();
        String config = "{\"dataset\": {\"format\": \"IMAGE_FOLDER\", \"path\": \"big\"}, \"model\": \"small-cnn\","
                + " \"training\": {\"epochs\": 1, \"batchSize\": 250, \"seed\": 1}}";
        JobSpec spec = new JobSpec(UUID.randomUUID(), TrainConfig.TYPE.name(), 1, json.readTree(config), "cpu", work.toString(),
                new StagedDataset(root, cache).inputs());
        Path specFile = work.resolve("job-spec.json");
        json.writeValue(specFile.toFile(), spec);

        List<ChildEvent> events = new CopyOnWriteArrayList<>();
        ChildJvm child = new ChildJvm("-Xmx96m -XX:+UseSerialGC -Dmasktune.loader-threads=2", Duration.ofSeconds(1),
                Duration.ofSeconds(10), json);
        ChildJvm.Outcome outcome = child.run(specFile, null, events::add, () -> false);

        assertThat(outcome.exitCode()).as(outcome.stderrTail()).isZero();
        assertThat(outcome.terminalEvent().event()).isEqualTo(ChildEvent.DONE);
        assertThat(events).anyMatch(e -> e.event().equals(ChildEvent.PROGRESS)
                && e.body().toString().contains("preparing the dataset: decoded"));
        ChildEvent result = events.stream().filter(e -> e.event().equals(ChildEvent.RESULT)).findFirst().orElseThrow();
        assertThat(result.body().path("trainImages").asInt()).isEqualTo(14_400);
        assertThat(result.body().path("validationImages").asInt()).isEqualTo(1_600);
        assertThat(result.body().path("epochs").asInt()).isEqualTo(1);
        // the classes differ in colour: one epoch learns them
        assertThat(result.body().path("lastValidationAccuracy").asDouble()).isGreaterThan(0.9);
        try (var files = Files.list(cache)) {
            assertThat(files.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().contains(".tmp-")).count()).isEqualTo(1);
        }
    }

    /** Image i of class i % 4: a smooth gradient in the class's colour (compresses well, so the folder stays small). */
    public static void write(Path root, int i) {
        int label = i % 4;
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        int[] base = {label == 0 ? 200 : 40, label == 1 ? 200 : 40, label == 2 ? 200 : 40};
        if (label == 3) {
            base = new int[] {200, 200, 40};
        }
        int shift = i % 32;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int d = (x + y + shift) % 48;
                img.setRGB(x, y, ((base[0] + d) << 16) | ((base[1] + d) << 8) | (base[2] + d));
            }
        }
        Path file = root.resolve("c" + label).resolve(String.format("%05d.png", i));
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
