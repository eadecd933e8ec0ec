package org.masktune.ml.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.ml.train.LoadedModel;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;
import org.masktune.ml.train.TrainingProgress;

class FeatureGateTest {

    @TempDir
    Path dir;

    @Test
    void multipliesEachPositionByTheSigmoidOfA1x1Convolution() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block gate = FeatureGate.create();
            gate.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 1, 2));
            for (Pair<String, Parameter> p : gate.getParameters()) {
                NDArray array = p.getValue().getArray();
                if (p.getKey().endsWith("weight")) {
                    array.set(new float[] {1f, -1f}); // z = A0 - A1
                } else {
                    array.set(new float[] {0f});
                }
            }
            // channel 0 = [2, 0], channel 1 = [0, 1]  ->  z = [2, -1]
            NDArray a = manager.create(new float[] {2, 0, 0, 1}, new Shape(1, 2, 1, 2));
            float[] out = gate.forward(new ParameterStore(manager, false), new NDList(a), false).singletonOrThrow().toFloatArray();

            double g0 = 1 / (1 + Math.exp(-2));
            double g1 = 1 / (1 + Math.exp(1));
            assertThat(out[0]).isCloseTo((float) (2 * g0), within(1e-6f));
            assertThat(out[1]).isCloseTo(0f, within(1e-6f));
            assertThat(out[2]).isCloseTo(0f, within(1e-6f));
            assertThat(out[3]).isCloseTo((float) (1 * g1), within(1e-6f));
        }
    }

    @Test
    void aGatedModelSurvivesTheCheckpointFile() throws Exception {
        ModelSpec spec = new ModelSpec("small-cnn", 1, 2, 28, Normalization.unit(1), null, false).withFeatureGate();
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier gated = spec.newClassifier(manager);
            Classifier plain = new ModelSpec("small-cnn", 1, 2, 28, Normalization.unit(1), null, false).newClassifier(manager);
            assertThat(gated.parameterCount() - plain.parameterCount()).as("a 1x1 conv from 32 channels to 1, with bias").isEqualTo(33);

            Path file = dir.resolve("gated.ckpt");
            CheckpointFile.write(file, gated, spec, null, TrainingProgress.start(), Map.of());
            LoadedModel read = CheckpointFile.read(file, manager);

            assertThat(read.spec().featureGate()).isTrue();
            NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));
            float[] before = gated.network().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] after = read.classifier().network().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            assertThat(after).containsExactly(before, within(1e-6f));
        }
    }
}
