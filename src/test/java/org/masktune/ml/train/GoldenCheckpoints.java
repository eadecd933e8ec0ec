package org.masktune.ml.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.models.Architectures;
import org.masktune.ml.models.Classifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.SerializationFeature;

/**
 * Writes the golden checkpoints under {@code src/test/resources/golden/} that {@link GoldenCheckpointTest} loads: a
 * small-cnn on 1×16×16 images trained for 4 SGD steps (one epoch of 64 images, batch 16) in today's checkpoint
 * format (as TrainTask writes it: spec, progress, metadata, parameters, SGD momentum buffers), in the current layout
 * revision (2), with the logits it gives on four fixed inputs, which the JSON stores with the inputs' pixels
 * (217 KB + 4 KB). {@link #write(Path, int)} also writes revision 1 if ever needed.
 *
 * <p>Run only to add a new golden file, never to "fix" a failing test (that would hide a format break):
 * <pre>
 *   mvn -B -o test-compile
 *   java -cp "target/test-classes:target/classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *       -Dai.djl.offline=true org.masktune.ml.train.GoldenCheckpoints src/test/resources/golden
 * </pre>
 */
public final class GoldenCheckpoints {

    static final int SIZE = 16;
    static final int INPUTS = 4;

    private GoldenCheckpoints() {
    }

    /** The four fixed inputs: pixels uint8, CHW, 1×16×16 each. */
    static ImageSet inputs() {
        return TestImages.leftRight(INPUTS, 1, SIZE, 2026_12_02L);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden");
        Files.createDirectories(dir);
        // revision 1 (the first small-cnn layout) would add another ~107 KB; its loading is covered by
        // CheckpointFileTest.aCheckpointOfTheFirstSmallCnnLayoutLoadsIntoThatLayoutAndPredictsTheSame, with a header as old files have it
        write(dir, 2);
    }

    static void write(Path dir, int revision) throws IOException {
        ImageSet train = TestImages.leftRight(64, 1, SIZE, 11);
        ImageSet validation = TestImages.leftRight(16, 1, SIZE, 12);
        Normalization normalization = Normalization.fromData(train);
        ModelSpec spec = new ModelSpec("small-cnn", 1, 2, SIZE, normalization, List.of("left", "right"), false, revision);
        String name = "small-cnn-r" + revision;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(5);
            Classifier classifier = Architectures.build("small-cnn", 1, 2, SIZE, revision).initialize(manager, 1, SIZE, SIZE);
            // SGD with its default momentum 0.9, as TrainTask trains by default: the momentum buffers are stored too
            TrainSettings settings = new TrainSettings(null, null, null, null, null, null, null, null, 1, 16, null, 5L, null);
            TrainingOutcome outcome = TrainingLoop.fit(classifier, normalization, train, validation, settings, Device.cpu(),
                    null, null, null, 0);
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("kind", "last");
            metadata.put("epoch", 1);
            metadata.put("golden", "written by org.masktune.ml.train.GoldenCheckpoints; never regenerate to fix a test");
            Path file = dir.resolve(name + ".mtck");
            CheckpointFile.write(file, classifier, spec, outcome.finalState().optimizer(), outcome.finalState().progress(), metadata);

            // the expected outputs come from the file as read back, through the path evaluation uses
            LoadedModel read = CheckpointFile.read(file, manager);
            ImageSet inputs = inputs();
            float[][] logits = Predictor.logits(read.classifier(), inputs, ImageBatches.evaluation(read.spec().normalization()),
                    Device.cpu(), INPUTS, 0);
            List<int[]> pixels = new ArrayList<>();
            int plane = SIZE * SIZE;
            for (int i = 0; i < INPUTS; i++) {
                int[] p = new int[plane];
                for (int k = 0; k < plane; k++) {
                    p[k] = inputs.pixels()[i * plane + k] & 0xff;
                }
                pixels.add(p);
            }
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("checkpoint", file.getFileName().toString());
            expected.put("shape", List.of(1, SIZE, SIZE));
            expected.put("inputs", pixels);
            expected.put("logits", logits);
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValue(dir.resolve(name + ".expected.json").toFile(), expected);
        }
    }
}
