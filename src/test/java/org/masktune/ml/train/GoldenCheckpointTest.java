package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.masktune.ml.data.ImageSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed golden checkpoint (small-cnn, layout revision 2, written by {@link GoldenCheckpoints} in the
 * stored format of 2026-12-02) must load with every later version and predict their recorded logits to 1e-6,
 * through the path evaluation uses ({@link CheckpointFile#read}, {@link ImageBatches#evaluation}, {@link Predictor}).
 * A failure here means stored checkpoints of users would no longer load or would predict differently: fix the
 * reader, do not regenerate the files.
 */
class GoldenCheckpointTest {

    private static final double TOLERANCE = 1e-6;

    /** Revision 2 (today's small-cnn layout); add a revision here when its golden file is committed. */
    @ParameterizedTest
    @ValueSource(ints = {2})
    void loadsAndPredictsItsRecordedLogits(int revision) throws IOException {
        String name = "small-cnn-r" + revision;
        JsonNode expected;
        try (InputStream in = resource(name + ".expected.json")) {
            expected = JsonMapper.builder().build().readTree(in);
        }
        int size = expected.path("shape").get(1).asInt();
        int plane = size * size;
        int n = expected.path("inputs").size();
        byte[] pixels = new byte[n * plane];
        for (int i = 0; i < n; i++) {
            JsonNode image = expected.path("inputs").get(i);
            assertEquals(plane, image.size());
            for (int k = 0; k < plane; k++) {
                pixels[i * plane + k] = (byte) image.get(k).asInt();
            }
        }
        ImageSet inputs = ImageSet.of(1, size, size, pixels, new int[n], List.of("left", "right"));

        try (NDManager manager = NDManager.newBaseManager(Device.cpu()); InputStream in = resource(name + ".mtck")) {
            LoadedModel checkpoint = CheckpointFile.read(in, manager);
            assertEquals("small-cnn", checkpoint.spec().architecture());
            assertEquals(revision, checkpoint.spec().revision());
            assertEquals(List.of("left", "right"), checkpoint.spec().classNames());
            assertEquals("last", checkpoint.metadata().get("kind"));
            assertNotNull(checkpoint.optimizerState(), "stored with its optimiser state, as training writes it");
            assertTrue(!checkpoint.optimizerState().tensors().isEmpty(), "SGD momentum buffers");
            assertEquals(4, checkpoint.optimizerState().steps(), "one epoch of 64 images in batches of 16");
            assertEquals(1, checkpoint.progress().epoch());

            float[][] logits = Predictor.logits(checkpoint.classifier(), inputs, ImageBatches.evaluation(checkpoint.spec().normalization()),
                    Device.cpu(), n, 0);
            assertEquals(n, logits.length);
            for (int i = 0; i < n; i++) {
                JsonNode row = expected.path("logits").get(i);
                assertEquals(row.size(), logits[i].length);
                for (int c = 0; c < logits[i].length; c++) {
                    double want = row.get(c).asDouble();
                    assertTrue(Math.abs(logits[i][c] - want) <= TOLERANCE,
                            name + " image " + i + " logit " + c + ": " + logits[i][c] + ", recorded " + want);
                }
            }
        }
    }

    private static InputStream resource(String name) {
        InputStream in = GoldenCheckpointTest.class.getResourceAsStream("/golden/" + name);
        assertNotNull(in, "golden/" + name + " on the test classpath");
        return in;
    }
}
