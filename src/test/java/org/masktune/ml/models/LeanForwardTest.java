package org.masktune.ml.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeanForwardTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Same logits and same parameter gradients as block.forward, with far fewer arrays left in the batch's manager. */
    @ParameterizedTest
    @ValueSource(strings = {"small-cnn", "resnet32"})
    void matchesPlainForwardAndBackwardAndFreesTheIntermediates(String name) {
        Classifier c = Architectures.build(name, 3, 10, 32).initialize(manager, 3, 32, 32);
        NDArray x = manager.randomNormal(new Shape(4, 3, 32, 32));
        Result plain = run(c, x, false);
        Result lean = run(c, x, true);
        assertArrayEquals(plain.logits, lean.logits, 0f);
        for (int i = 0; i < plain.gradients.size(); i++) {
            assertArrayEquals(plain.gradients.get(i), lean.gradients.get(i), 0f, "gradient " + i);
        }
        assertTrue(lean.arraysLeft * 4 < plain.arraysLeft, "lean left " + lean.arraysLeft + " arrays, plain " + plain.arraysLeft);
    }

    private record Result(float[] logits, List<float[]> gradients, int arraysLeft) {
    }

    private Result run(Classifier c, NDArray input, boolean lean) {
        for (Pair<String, Parameter> p : c.network().getParameters()) {
            if (p.getValue().requiresGradient()) {
                JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
            }
        }
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(batch);
            ParameterStore store = new ParameterStore(batch, false);
            float[] logits;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // eval-mode BatchNorm, so both runs see the same statistics
                NDArray out = lean
                        ? LeanForward.forward(c.network(), store, new NDList(x), false).singletonOrThrow()
                        : c.network().forward(store, new NDList(x), false).singletonOrThrow();
                logits = out.toFloatArray();
                collector.backward(out.square().sum());
            }
            List<float[]> gradients = new ArrayList<>();
            for (Pair<String, Parameter> p : c.network().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    gradients.add(p.getValue().getArray().getGradient().toFloatArray());
                }
            }
            int left = batch.getManagedArrays().size();
            return new Result(logits, gradients, left);
        }
    }
}
