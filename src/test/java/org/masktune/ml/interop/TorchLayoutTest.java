package org.masktune.ml.interop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.ModelSpec;

/** The engine-free layouts agree with what DJL actually builds, parameter by parameter, name and shape. */
class TorchLayoutTest {

    @ParameterizedTest
    @CsvSource({
            "small-cnn, 1, 10, 28, false", "small-cnn, 3, 2, 32, true", "seed-vgg, 3, 10, 32, false", "seed-vgg, 3, 4, 32, true",
            "vgg16-bn, 3, 10, 32, false", "resnet32, 3, 10, 32, false", "resnet32, 3, 10, 32, true",
            "resnet18, 3, 10, 32, false", "resnet18, 3, 2, 72, false", "resnet50, 3, 2, 32, false", "resnet50, 1, 1000, 72, true"})
    void layoutMatchesDjlParametersInOrder(String architecture, int channels, int classes, int size, boolean gate) {
        ModelSpec spec = InteropModels.spec(architecture, channels, classes, size, gate);
        TorchLayout layout = TorchLayout.of(spec);
        List<TorchLayout.Tensor> parameters = layout.tensors().stream().filter(t -> t.role() == TorchLayout.Role.PARAMETER).toList();
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier classifier = spec.newClassifier(manager);
            List<Pair<String, Parameter>> djl = classifier.network().getParameters().stream().toList();
            assertThat(djl).hasSize(parameters.size());
            for (int i = 0; i < djl.size(); i++) {
                Parameter p = djl.get(i).getValue();
                assertThat(p.getName()).as(parameters.get(i).name()).isEqualTo(parameters.get(i).djlName());
                assertThat(p.getArray().getShape().getShape()).as(parameters.get(i).name()).isEqualTo(parameters.get(i).shape());
            }
        }
        long batchNorms = layout.layers().stream().filter(l -> l.kind() == TorchLayout.Kind.BATCH_NORM).count();
        assertThat(layout.tensors()).hasSize(parameters.size() + (int) batchNorms);
        assertThat(layout.tensors().stream().filter(t -> layout.isHead(t.name()))).hasSize(2);
        assertThat(layout.tensors().stream().map(TorchLayout.Tensor::name).distinct()).hasSize(layout.tensors().size());
    }

    @ParameterizedTest
    @CsvSource({"resnet18, 72", "resnet50, 224"})
    void torchvisionResNetsAtImageNetSizesHaveTorchvisionsStateDictCounts(String architecture, int size) {
        // len(torchvision.models.resnet18().state_dict()) == 122, resnet50: 320 (torchvision 0.14)
        TorchLayout layout = TorchLayout.of(InteropModels.spec(architecture, 3, 1000, size, false));
        assertThat(layout.tensors()).hasSize(architecture.equals("resnet18") ? 122 : 320);
        assertThat(layout.tensors().get(0).shape()).containsExactly(64, 3, 7, 7);
        assertThat(layout.tensors().get(layout.tensors().size() - 2).name()).isEqualTo("fc.weight");
    }
}
