package org.masktune.ml.interop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.TrainingProgress;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Both directions against real PyTorch (Debian's python3-torch 1.13 and torchvision 0.14): torchvision
 * models saved by PyTorch and converted by the repo's script give the same logits in the service, and
 * the service's models load into the repo's PyTorch definitions under strict=True with the same logits.
 */
class PyTorchInteropTest {

    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    /** 72 px: above 64 the service's ResNets use torchvision's 7x7 stride-2 stem and max-pool, so ImageNet weights fit. */
    @ParameterizedTest
    @CsvSource({"resnet18, 72", "resnet50, 72"})
    void torchvisionWeightsConvertedByTheScriptGivePyTorchsLogits(String architecture, int size) throws Exception {
        PyTorch.run(PyTorch.REFERENCE.toString(), "torchvision", architecture, String.valueOf(size), "1000", "3", dir.toString());
        Path safetensors = dir.resolve("model.safetensors");
        PyTorch.run(PyTorch.CONVERTER.toString(), dir.resolve("model.pth").toString(), safetensors.toString());

        Safetensors.Header header = Safetensors.readHeader(safetensors);
        assertThat(header.metadata()).containsEntry("source", "model.pth");
        assertThat(header.tensors().get("bn1.num_batches_tracked").dtype()).isEqualTo("I64");
        ModelSpec spec = InteropModels.spec(architecture, 3, 1000, size, false);
        WeightsImport.Plan plan = WeightsImport.check(spec, header);
        assertThat(plan.replaceHead()).isFalse();
        float[] inputs = PyTorch.readFloats(dir.resolve("inputs.bin"));
        float[] expected = PyTorch.readFloats(dir.resolve("logits.bin"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier classifier = spec.newClassifier(manager);
            WeightsImport.load(classifier, safetensors, header, plan);
            float[][] logits = InteropModels.logits(classifier, manager, inputs, 8, 3, size);
            double difference = PyTorch.maxAbsDifference(logits, expected);
            System.out.printf("%s %d px: max |logit difference| service vs PyTorch = %.3g (logits up to %.3g)%n", architecture, size,
                    difference, maxAbs(expected));
            assertThat(difference).isLessThanOrEqualTo(TOLERANCE);
            assertThat(maxAbs(expected)).as("logits are not trivially small").isGreaterThan(0.1);
        }
    }

    @ParameterizedTest
    @CsvSource({"small-cnn, 1, 10, 28, false", "seed-vgg, 3, 10, 32, false", "seed-vgg, 3, 4, 32, true",
            "vgg16-bn, 3, 10, 32, false", "resnet32, 3, 10, 32, false", "resnet32, 3, 2, 32, true", "resnet18, 3, 10, 32, false",
            "resnet50, 3, 2, 72, false"})
    void exportsLoadStrictlyIntoTheRepositorysDefinitionsWithTheSameLogits(String architecture, int channels, int classes, int size,
            boolean gate) throws Exception {
        ModelSpec spec = InteropModels.spec(architecture, channels, classes, size, gate);
        int n = 8;
        float[] inputs = InteropModels.inputs(n, channels, size, 17);
        PyTorch.writeFloats(dir.resolve("inputs.bin"), inputs);
        Path safetensors = dir.resolve("model.safetensors");
        float[][] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier classifier = InteropModels.seeded(spec, manager, 23);
            ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
            CheckpointFile.write(checkpoint, classifier, spec, null, TrainingProgress.start(), Map.of());
            try (var out = Files.newOutputStream(safetensors)) {
                SafetensorsExport.export(new java.io.ByteArrayInputStream(checkpoint.toByteArray()), out, Map.of());
            }
            expected = InteropModels.logits(classifier, manager, inputs, n, channels, size);
        }
        Path out = dir.resolve("logits.bin");
        PyTorch.run(PyTorch.REFERENCE.toString(), "logits", safetensors.toString(), dir.resolve("inputs.bin").toString(),
                String.valueOf(n), out.toString());

        float[] actual = PyTorch.readFloats(out);
        double difference = PyTorch.maxAbsDifference(expected, actual);
        System.out.printf("%s%s: max |logit difference| PyTorch vs service = %.3g (logits up to %.3g)%n", architecture,
                gate ? "+gate" : "", difference, maxAbs(actual));
        assertThat(maxAbs(actual)).as("logits are not trivially small").isGreaterThan(0.1);
        assertThat(difference).isLessThanOrEqualTo(TOLERANCE);
        JsonNode report = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("logits.bin.json")));
        List<String> names = report.path("names").valueStream().map(JsonNode::asString).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(TorchLayout.of(spec).tensors().stream().map(TorchLayout.Tensor::name).toList());
    }

    static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
