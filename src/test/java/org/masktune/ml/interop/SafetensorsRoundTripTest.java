package org.masktune.ml.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.OptimizerKind;
import org.masktune.ml.train.OptimizerState;
import org.masktune.ml.train.TrainingProgress;

/** Native checkpoint → safetensors (engine-free) → a fresh classifier: the same values and the same logits. */
class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    static byte[] nativeCheckpoint(Classifier classifier, ModelSpec spec, long optimizerSteps) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OptimizerState state = new OptimizerState(OptimizerKind.SGD, optimizerSteps, Map.of());
        CheckpointFile.write(out, classifier, spec, state, TrainingProgress.start(), Map.of("kind", "best"));
        return out.toByteArray();
    }

    static byte[] export(byte[] checkpoint, Map<String, String> extra) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsExport.export(new ByteArrayInputStream(checkpoint), out, extra);
        return out.toByteArray();
    }

    @ParameterizedTest
    @CsvSource({"small-cnn, 1, 10, 28, false", "seed-vgg, 3, 4, 32, true", "resnet32, 3, 10, 32, false", "resnet18, 3, 5, 72, false"})
    void exportThenImportGivesTheSameParametersAndLogits(String architecture, int channels, int classes, int size, boolean gate)
            throws IOException {
        ModelSpec spec = InteropModels.spec(architecture, channels, classes, size, gate);
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier original = InteropModels.seeded(spec, manager, 11);
            byte[] safetensors = export(nativeCheckpoint(original, spec, 123), Map.of("checkpoint_sha256", "abc"));
            Path file = Files.write(dir.resolve("model.safetensors"), safetensors);

            Safetensors.Header header = Safetensors.readHeader(file);
            assertThat(header.metadata()).containsEntry("architecture", architecture).containsEntry("input_size", String.valueOf(size))
                    .containsEntry("feature_gate", String.valueOf(gate)).containsEntry("checkpoint_sha256", "abc")
                    .containsEntry("normalization_mean", Arrays.toString(spec.normalization().mean()).replace(" ", ""));
            assertThat(header.dataStart() % 8).isZero();
            String firstBn = TorchLayout.of(spec).layers().stream().filter(l -> l.kind() == TorchLayout.Kind.BATCH_NORM)
                    .findFirst().orElseThrow().name();
            assertThat(header.tensors().get(firstBn + ".num_batches_tracked").dtype()).isEqualTo("I64");

            Classifier imported = spec.newClassifier(manager);
            WeightsImport.Plan plan = WeightsImport.check(spec, header);
            assertThat(plan.replaceHead()).isFalse();
            WeightsImport.load(imported, file, header, plan);

            List<Pair<String, Parameter>> a = original.network().getParameters().stream().toList();
            List<Pair<String, Parameter>> b = imported.network().getParameters().stream().toList();
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).getValue().getArray().toFloatArray()).as(a.get(i).getKey())
                        .isEqualTo(a.get(i).getValue().getArray().toFloatArray());
            }
            float[] x = InteropModels.inputs(4, channels, size, 3);
            float[][] expected = InteropModels.logits(original, manager, x, 4, channels, size);
            float[][] actual = InteropModels.logits(imported, manager, x, 4, channels, size);
            assertThat(actual).isDeepEqualTo(expected);
            assertThat(Math.abs(expected[0][0] - expected[1][0])).as("logits depend on the input").isGreaterThan(1e-6f);
        }
    }

    @Test
    void theSameCheckpointAlwaysExportsToTheSameBytesAndBatchCountIsTheOptimiserSteps() throws IOException {
        ModelSpec spec = InteropModels.spec("small-cnn", 1, 10, 28, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            byte[] checkpoint = nativeCheckpoint(InteropModels.seeded(spec, manager, 5), spec, 57);
            byte[] first = export(checkpoint, Map.of("checkpoint_id", "x"));
            byte[] second = export(checkpoint, Map.of("checkpoint_id", "x"));
            assertThat(sha256(second)).isEqualTo(sha256(first));
            Path file = Files.write(dir.resolve("a.safetensors"), first);
            Safetensors.Header header = Safetensors.readHeader(file);
            Safetensors.Entry count = header.tensors().get("bn1.num_batches_tracked");
            byte[] value = Arrays.copyOfRange(first, (int) (header.dataStart() + count.begin()), (int) (header.dataStart() + count.end()));
            assertThat(value).containsExactly(57, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void aHeadForOtherClassesIsReplacedAndSaidSo() throws IOException {
        ModelSpec ten = InteropModels.spec("resnet18", 3, 10, 32, false);
        ModelSpec two = InteropModels.spec("resnet18", 3, 2, 32, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier source = InteropModels.seeded(ten, manager, 1);
            Path file = Files.write(dir.resolve("ten.safetensors"), export(nativeCheckpoint(source, ten, 0), Map.of()));
            Safetensors.Header header = Safetensors.readHeader(file);

            WeightsImport.Plan plan = WeightsImport.check(two, header);
            assertThat(plan.replaceHead()).isTrue();
            assertThat(plan.note()).contains("fc.weight [10, 512]", "fc.bias [10]", "2 outputs", "fc.weight [2, 512]");

            Classifier target = InteropModels.seeded(two, manager, 2);
            float[] freshHead = last(target, 2);
            WeightsImport.load(target, file, header, plan);
            assertThat(last(target, 2)).as("the new head keeps its initialisation").isEqualTo(freshHead);
            assertThat(target.network().getParameters().get(0).getValue().getArray().toFloatArray())
                    .isEqualTo(source.network().getParameters().get(0).getValue().getArray().toFloatArray());
        }
    }

    @Test
    void aFileOfAnotherArchitectureNamesTheFirstOffendingTensorAndBothShapes() throws IOException {
        ModelSpec resnet18 = InteropModels.spec("resnet18", 3, 2, 72, false);
        ModelSpec resnet50 = InteropModels.spec("resnet50", 3, 2, 72, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            Path file = Files.write(dir.resolve("r18.safetensors"),
                    export(nativeCheckpoint(InteropModels.seeded(resnet18, manager, 1), resnet18, 0), Map.of()));
            Safetensors.Header header = Safetensors.readHeader(file);
            assertThatThrownBy(() -> WeightsImport.check(resnet50, header))
                    .isInstanceOf(WeightsMismatchException.class)
                    .hasMessage("tensor layer1.0.conv1.weight has shape [64, 64, 3, 3] in the weights file, resnet50 needs [64, 64, 1, 1]")
                    .extracting(e -> ((WeightsMismatchException) e).key()).isEqualTo("layer1.0.conv1.weight");
            assertThatThrownBy(() -> WeightsImport.checkNames("resnet50", header))
                    .hasMessageStartingWith("tensor layer1.0.conv3.weight [256, 64, 1, 1] of resnet50 is missing from the weights file");
            assertThatThrownBy(() -> WeightsImport.checkNames("small-cnn", header))
                    .hasMessageStartingWith("tensor conv1.bias [16] of small-cnn is missing");
        }
    }

    @Test
    void aTruncatedFileIsRefusedWithWhatIsMissing() throws IOException {
        ModelSpec spec = InteropModels.spec("small-cnn", 1, 10, 28, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            byte[] bytes = export(nativeCheckpoint(InteropModels.seeded(spec, manager, 1), spec, 0), Map.of());
            Path cut = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 100));
            assertThatThrownBy(() -> Safetensors.readHeader(cut)).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageContaining("truncated: tensor fc2.weight needs data up to byte", "which has");
            Path headerOnly = Files.write(dir.resolve("head.safetensors"), Arrays.copyOf(bytes, 40));
            assertThatThrownBy(() -> Safetensors.readHeader(headerOnly)).hasMessageStartingWith("truncated: the header needs");
            Path text = Files.writeString(dir.resolve("notes.safetensors"), "hello, this is not a tensor file");
            assertThatThrownBy(() -> Safetensors.readHeader(text)).hasMessageStartingWith("not a safetensors file");
            byte[] cutNative = Arrays.copyOf(nativeCheckpoint(InteropModels.seeded(spec, manager, 1), spec, 0), 5000);
            assertThatThrownBy(() -> export(cutNative, Map.of())).hasMessage("checkpoint is truncated");
        }
    }

    private static float[] last(Classifier c, int fromEnd) {
        var params = c.network().getParameters();
        float[] w = params.get(params.size() - fromEnd).getValue().getArray().toFloatArray();
        return w;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
