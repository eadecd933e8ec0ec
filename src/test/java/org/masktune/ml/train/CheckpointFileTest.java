package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.models.Architectures;
import org.masktune.ml.models.Classifier;

class CheckpointFileTest {

    private static NDManager manager;
    private static final ImageSet TRAIN = TestImages.leftRight(64, 1, 28, 21);
    private static final ImageSet VALIDATION = TestImages.leftRight(16, 1, 28, 22);
    private static final Normalization NORMALIZATION = Normalization.fromData(TRAIN);
    private static final ModelSpec SPEC = ModelSpec.forData("small-cnn", TRAIN, NORMALIZATION);

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void roundTripRestoresModelSpecOptimizerProgressAndMetadata() throws Exception {
        Classifier classifier = TrainingLoopTest.smallCnn(manager, 1, 2, 31);
        TrainingOutcome outcome = TrainingLoop.fit(classifier, NORMALIZATION, TRAIN, VALIDATION,
                TrainingLoopTest.settings(1, 16, 3, null), Device.cpu(), null, null, null);
        Path file = dir.resolve("ckpt.mtck");
        Map<String, Object> metadata = Map.of("kind", "last", "erm", Map.of("sha256", "ab12"), "epochs", List.of(1));
        CheckpointFile.write(file, classifier, SPEC, outcome.finalState().optimizer(), outcome.finalState().progress(), metadata);

        try (NDManager other = NDManager.newBaseManager()) {
            LoadedModel read = CheckpointFile.read(file, other);
            assertEquals(SPEC, read.spec());
            assertEquals(List.of("left", "right"), read.spec().classNames());
            assertEquals(outcome.finalState().progress(), read.progress());
            assertEquals(metadata, read.metadata());
            OptimizerState saved = outcome.finalState().optimizer();
            assertEquals(saved.kind(), read.optimizerState().kind());
            assertEquals(saved.steps(), read.optimizerState().steps());
            assertEquals(saved.tensors().keySet(), read.optimizerState().tensors().keySet());
            saved.tensors().forEach((k, v) -> assertArrayEquals(v, read.optimizerState().tensors().get(k), 0f, k));

            BatchEncoderCheck.assertSameLogits(classifier, read.classifier(), VALIDATION, NORMALIZATION);
        }
        assertEquals(SPEC, CheckpointFile.readHeader(file).spec());
        assertTrue(Files.notExists(dir.resolve("ckpt.mtck.tmp")));
    }

    @Test
    void resumingFromTheEpochOneCheckpointFileEndsWithTheUninterruptedWeights() throws Exception {
        TrainSettings settings = TrainingLoopTest.settings(2, 16, 4, null);
        Classifier uninterrupted = TrainingLoopTest.smallCnn(manager, 1, 2, 41);
        Path file = dir.resolve("epoch1.mtck");
        AtomicReference<Classifier> running = new AtomicReference<>();
        TrainingListener checkpointAfterEpochOne = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest) {
                if (result.epoch() == 1) {
                    try {
                        CheckpointFile.write(file, running.get(), SPEC, state.optimizer(), state.progress(), Map.of());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        };
        running.set(uninterrupted);
        TrainingLoop.fit(uninterrupted, NORMALIZATION, TRAIN, VALIDATION, settings, Device.cpu(), checkpointAfterEpochOne, null, null);

        LoadedModel checkpoint = CheckpointFile.read(file, manager);
        TrainingOutcome resumed = TrainingLoop.fit(checkpoint.classifier(), checkpoint.spec().normalization(), TRAIN, VALIDATION,
                settings, Device.cpu(), null, null, checkpoint.resumeState());
        assertEquals(2, resumed.epochs().size());
        TrainingLoopTest.assertSameWeights(uninterrupted, checkpoint.classifier());
    }

    @Test
    void aFileWithTheWrongMagicIsRejectedWithAClearMessage() throws Exception {
        Path file = writeSmall("bad-magic.mtck");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(new byte[] {'P', 'K', 3, 4});
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointFile.read(file, manager));
        assertEquals("not a MaskTune checkpoint: the file starts with 0x504B0304, expected 0x4D54434B ('MTCK')", e.getMessage());
    }

    @Test
    void anUnknownVersionAndACorruptedBodyAreRejected() throws Exception {
        Path versioned = writeSmall("v9.mtck");
        try (RandomAccessFile raf = new RandomAccessFile(versioned.toFile(), "rw")) {
            raf.seek(4);
            raf.writeInt(9);
        }
        assertEquals("checkpoint format version 9 is not supported; this build reads version 1",
                assertThrows(CheckpointFormatException.class, () -> CheckpointFile.read(versioned, manager)).getMessage());

        Path flipped = writeSmall("flipped.mtck");
        try (RandomAccessFile raf = new RandomAccessFile(flipped.toFile(), "rw")) {
            raf.seek(raf.length() - 100);
            int b = raf.read();
            raf.seek(raf.length() - 100);
            raf.write(b ^ 0xFF);
        }
        assertEquals("checkpoint is corrupted: CRC-32 mismatch",
                assertThrows(CheckpointFormatException.class, () -> CheckpointFile.read(flipped, manager)).getMessage());

        Path truncated = writeSmall("truncated.mtck");
        try (RandomAccessFile raf = new RandomAccessFile(truncated.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertEquals("checkpoint is truncated",
                assertThrows(CheckpointFormatException.class, () -> CheckpointFile.read(truncated, manager)).getMessage());
    }

    @Test
    void progressWithoutValidationKeepsItsNaNs() throws Exception {
        EpochResult noValidation = new EpochResult(1, 0.5, 0.75, Double.NaN, Double.NaN, 0.01, 2.0, 100.0);
        TrainingProgress progress = new TrainingProgress(1, 1, Double.NaN, List.of(noValidation));
        Path file = dir.resolve("nan.mtck");
        CheckpointFile.write(file, TrainingLoopTest.smallCnn(manager, 1, 2, 1), SPEC, null, progress, null);
        assertEquals(progress, CheckpointFile.readHeader(file).progress());
    }

    /**
     * A checkpoint as the first release wrote it: small-cnn without the head's BatchNorm1d, a header
     * whose model spec has no "revision" field. It must rebuild that layout and predict what it did.
     */
    @Test
    void aCheckpointOfTheFirstSmallCnnLayoutLoadsIntoThatLayoutAndPredictsTheSame() throws Exception {
        Engine.getInstance().setRandomSeed(17);
        Classifier legacy = Architectures.build("small-cnn", 1, 2, 28, 1).initialize(manager, 1, 28, 28);
        TrainingOutcome outcome = TrainingLoop.fit(legacy, NORMALIZATION, TRAIN, VALIDATION,
                TrainingLoopTest.settings(1, 16, 3, null), Device.cpu(), null, null, null);
        ModelSpec legacySpec = new ModelSpec("small-cnn", 1, 2, 28, NORMALIZATION, List.of("left", "right"), false, 1);
        Path file = dir.resolve("first-release.mtck");
        Files.write(file, withoutRevision(legacy, legacySpec, outcome.finalState()));
        assertFalse(headerJson(file).contains("revision"), "the header must look like the old one");

        try (NDManager other = NDManager.newBaseManager()) {
            LoadedModel read = CheckpointFile.read(file, other);
            assertEquals(1, read.spec().revision());
            assertEquals(legacySpec, read.spec());
            assertEquals(0, countBatchNorms(read.classifier().head()), "the first layout has no BatchNorm in the head");
            BatchEncoderCheck.assertSameLogits(legacy, read.classifier(), VALIDATION, NORMALIZATION);
            // and it keeps its layout when written again (a MaskTune job fine-tunes it and stores the result)
            Path again = dir.resolve("again.mtck");
            CheckpointFile.write(again, read.classifier(), read.spec(), read.optimizerState(), read.progress(), read.metadata());
            LoadedModel reread = CheckpointFile.read(again, other);
            assertEquals(1, reread.spec().revision());
            BatchEncoderCheck.assertSameLogits(legacy, reread.classifier(), VALIDATION, NORMALIZATION);
        }
        // a new model is the authors' layout, and says so in its header
        assertEquals(2, SPEC.revision());
        assertEquals(1, countBatchNorms(SPEC.build().head()));
        Path current = writeSmall("current.mtck");
        assertTrue(headerJson(current).contains("\"revision\":2"), headerJson(current));
    }

    /** The bytes the first release wrote: the header JSON without "revision", CRC recomputed. */
    private static byte[] withoutRevision(Classifier classifier, ModelSpec spec, TrainingState state) throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        CheckpointFile.write(written, classifier, spec, state.optimizer(), state.progress(), Map.of("kind", "last"));
        ByteBuffer in = ByteBuffer.wrap(written.toByteArray());
        byte[] magicAndVersion = new byte[8];
        in.get(magicAndVersion);
        byte[] json = new byte[in.getInt()];
        in.get(json);
        byte[] rest = new byte[in.remaining() - Long.BYTES];
        in.get(rest);
        String header = new String(json, StandardCharsets.UTF_8);
        String old = header.replace(",\"revision\":1", "");
        assertTrue(header.contains("\"revision\":1") && !old.contains("revision"), header);
        byte[] oldJson = old.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + oldJson.length + rest.length + Long.BYTES);
        out.put(magicAndVersion).putInt(oldJson.length).put(oldJson).put(rest);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putLong(crc.getValue());
        return out.array();
    }

    private static String headerJson(Path file) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        in.position(8);
        byte[] json = new byte[in.getInt()];
        in.get(json);
        return new String(json, StandardCharsets.UTF_8);
    }

    private static int countBatchNorms(Block block) {
        int count = block instanceof BatchNorm ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            count += countBatchNorms(child);
        }
        return count;
    }

    private Path writeSmall(String name) throws Exception {
        Path file = dir.resolve(name);
        CheckpointFile.write(file, TrainingLoopTest.smallCnn(manager, 1, 2, 1), SPEC, null, TrainingProgress.start(), Map.of());
        return file;
    }

    /** Logit comparison shared by the round-trip tests. */
    static final class BatchEncoderCheck {
        static void assertSameLogits(Classifier expected, Classifier actual, ImageSet set, Normalization normalization) {
            float[][] a = Predictor.logits(expected, set, ImageBatches.evaluation(normalization), Device.cpu(), 8);
            float[][] b = Predictor.logits(actual, set, ImageBatches.evaluation(normalization), Device.cpu(), 8);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 1e-6f, "image " + i);
            }
        }
    }
}
