package org.masktune.ml.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchitecturesTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void registryListsEveryArchitectureAndRejectsUnknownNamesByListingThem() {
        assertEquals(List.of("small-cnn", "seed-vgg", "vgg16-bn", "resnet32", "resnet18", "resnet50"), Architectures.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.build("resnet9", 3, 10, 32));
        assertTrue(e.getMessage().contains("resnet9") && e.getMessage().contains("small-cnn, seed-vgg"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architectures.build("vgg16-bn", 3, 10, 16));
    }

    /** The catalogue's counts are hand-derived (e.g. resnet18 = torchvision's 11,181,642 − 9,408 + 1,728 for the 3×3 stem). */
    @ParameterizedTest
    @ValueSource(strings = {"small-cnn", "seed-vgg", "vgg16-bn", "resnet32", "resnet18", "resnet50"})
    void parameterCountAtTheReferenceInputMatchesTheCatalogue(String name) {
        Classifier c = Architectures.build(name, 3, 10, 32).initialize(manager, 3, 32, 32);
        assertEquals(Architectures.info(name).paramCount(), c.parameterCount());
    }

    @Test
    void smallCnnShapesFor28PixelRgbAndGreyInputs() {
        Classifier rgb = Architectures.build("small-cnn", 3, 10, 28).initialize(manager, 3, 28, 28);
        assertShapes(rgb, new Shape(2, 3, 28, 28), new Shape(2, 32, 8, 8), new Shape(2, 10));
        Classifier grey = Architectures.build("small-cnn", 1, 2, 28).initialize(manager, 1, 28, 28);
        assertShapes(grey, new Shape(2, 1, 28, 28), new Shape(2, 32, 8, 8), new Shape(2, 2));
    }

    /**
     * The authors' SmallCNN head (src/models/simple_cnn.py): Linear(512, 256) → BatchNorm1d(256) → ReLU →
     * Linear(classes), checked against that formula written out with the network's own parameters and
     * running statistics (moved away from 0/1 by a training pass first).
     */
    @Test
    void smallCnnHeadIsLinearBatchNorm1dReluLinearAsTheAuthorsWroteIt() {
        Classifier c = Architectures.build("small-cnn", 1, 2, 28).initialize(manager, 1, 28, 28);
        assertEquals(224_986 - 224_474, c.parameterCount() - Architectures.build("small-cnn", 1, 2, 28, 1)
                .initialize(manager, 1, 28, 28).parameterCount(), "BatchNorm1d(256) adds gamma and beta: 512 values");
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(8, 1, 28, 28));
        c.network().forward(ps, new NDList(x), true);
        NDArray a = c.features().forward(ps, new NDList(x), false).singletonOrThrow();
        float[] actual = c.head().forward(ps, new NDList(a), false).singletonOrThrow().toFloatArray();

        List<NDArray> head = c.head().getParameters().values().stream().map(Parameter::getArray).toList();
        List<String> names = c.head().getParameters().keys();
        assertEquals(8, head.size(), names.toString());
        NDArray w1 = head.get(0);
        NDArray b1 = head.get(1);
        NDArray gamma = head.get(2);
        NDArray beta = head.get(3);
        NDArray runningMean = head.get(4);
        NDArray runningVar = head.get(5);
        NDArray w2 = head.get(6);
        NDArray b2 = head.get(7);
        assertEquals(new Shape(256, 512), w1.getShape());
        assertEquals(new Shape(256), gamma.getShape());
        assertEquals(new Shape(256), runningVar.getShape());
        assertEquals(new Shape(2, 256), w2.getShape());
        assertTrue(runningMean.abs().sum().getFloat() > 0, "the training pass must have moved the running mean");

        NDArray pooled = a.reshape(8, 32, 4, 2, 4, 2).max(new int[] {5}).max(new int[] {3}).reshape(8, 512);
        NDArray z = pooled.matMul(w1.transpose()).add(b1);
        NDArray normalised = z.sub(runningMean).div(runningVar.add(1e-5f).sqrt()).mul(gamma).add(beta);
        NDArray relu = normalised.maximum(0f);
        float[] expected = relu.matMul(w2.transpose()).add(b2).toFloatArray();
        assertArrayEquals(expected, actual, 1e-4f);
    }

    /** PyTorch's Conv2d/Linear defaults, as the authors' model starts: weight and bias ~ U(±1/√fan-in). */
    @Test
    void smallCnnStartsFromPyTorchsDefaultInitialisation() {
        Classifier c = Architectures.build("small-cnn", 3, 2, 28).initialize(manager, 3, 28, 28);
        List<Pair<String, Parameter>> params = c.network().getParameters().stream()
                .filter(p -> p.getValue().getType() == Parameter.Type.WEIGHT || p.getValue().getType() == Parameter.Type.BIAS).toList();
        int[] fanIns = {27, 27, 144, 144, 144, 144, 288, 288, 512, 512, 256, 256};
        assertEquals(fanIns.length, params.size(), params.stream().map(Pair::getKey).toList().toString());
        for (int i = 0; i < fanIns.length; i++) {
            float[] values = params.get(i).getValue().getArray().toFloatArray();
            double bound = 1 / Math.sqrt(fanIns[i]);
            double sumSq = 0;
            for (float v : values) {
                assertTrue(Math.abs(v) <= bound + 1e-7, params.get(i).getKey() + " has " + v + " outside ±" + bound);
                sumSq += v * v;
            }
            if (values.length >= 256) { // enough values for the spread of U(±b): σ = b/√3
                assertEquals(bound / Math.sqrt(3), Math.sqrt(sumSq / values.length), 0.15 * bound / Math.sqrt(3), params.get(i).getKey());
            } else {
                assertTrue(sumSq > 0, params.get(i).getKey() + " is all zeros; PyTorch draws biases too");
            }
        }
    }

    @Test
    void smallCnnOfTheFirstReleaseHasNoBatchNormInItsHeadAndOtherRevisionsAreRefused() {
        Classifier first = Architectures.build("small-cnn", 3, 10, 32, 1).initialize(manager, 3, 32, 32);
        assertEquals(224_474, first.parameterCount());
        assertEquals(4, first.head().getParameters().size(), first.head().getParameters().keys().toString());
        assertEquals(2, Architectures.info("small-cnn").revision());
        assertThrows(IllegalArgumentException.class, () -> Architectures.build("small-cnn", 1, 2, 28, 3));
        assertThrows(IllegalArgumentException.class, () -> Architectures.build("resnet32", 3, 10, 32, 2));
    }

    @Test
    void cifarSizedShapes() {
        assertShapes(Architectures.build("seed-vgg", 3, 10, 32).initialize(manager, 3, 32, 32),
                new Shape(2, 3, 32, 32), new Shape(2, 256, 8, 8), new Shape(2, 10));
        assertShapes(Architectures.build("resnet32", 3, 10, 32).initialize(manager, 3, 32, 32),
                new Shape(2, 3, 32, 32), new Shape(2, 64, 8, 8), new Shape(2, 10));
        assertShapes(Architectures.build("resnet18", 3, 10, 32).initialize(manager, 3, 32, 32),
                new Shape(2, 3, 32, 32), new Shape(2, 512, 4, 4), new Shape(2, 10));
    }

    @Test
    void resnet18AboveSixtyFourPixelsUsesTheImageNetStem() {
        // 96 → conv 7×7/2 → 48 → max-pool → 24 → layers 2–4 halve three times → 3
        assertShapes(Architectures.build("resnet18", 3, 5, 96).initialize(manager, 3, 96, 96),
                new Shape(1, 3, 96, 96), new Shape(1, 512, 3, 3), new Shape(1, 5));
    }

    @Test
    void bigNetworksOnTinyInputs() {
        assertShapes(Architectures.build("vgg16-bn", 3, 10, 32).initialize(manager, 3, 32, 32),
                new Shape(1, 3, 32, 32), new Shape(1, 512, 2, 2), new Shape(1, 10));
        assertShapes(Architectures.build("resnet50", 3, 10, 32).initialize(manager, 3, 32, 32),
                new Shape(1, 3, 32, 32), new Shape(1, 2048, 4, 4), new Shape(1, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-cnn", "seed-vgg", "vgg16-bn", "resnet32", "resnet18", "resnet50"})
    void oneBackwardStepReachesEveryParameterAndChangesTheLogits(String name) {
        int batch = name.equals("vgg16-bn") || name.equals("resnet50") ? 1 : 2;
        Classifier c = Architectures.build(name, 3, 4, 32).initialize(manager, 3, 32, 32);
        ParameterStore ps = new ParameterStore(manager, false);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(batch, 3, 32, 32));
            float[] before;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = c.network().forward(ps, new NDList(x), true).singletonOrThrow();
                before = logits.toFloatArray();
                gc.backward(logits.get(":, 0").sum());
            }
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                for (Pair<String, Parameter> p : c.network().getParameters()) {
                    if (!p.getValue().requiresGradient()) {
                        continue;
                    }
                    NDArray w = p.getValue().getArray();
                    try (NDArray g = w.getGradient()) {
                        if (!p.getKey().endsWith("bias") && !p.getKey().endsWith("beta")) {
                            assertTrue(g.abs().sum().getFloat() > 0, "no gradient reached " + p.getKey());
                        }
                        w.subi(g.mul(0.1f));
                    }
                }
            } finally {
                JniUtils.setGradMode(grad);
            }
            float[] after = c.network().forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
            assertTrue(maxAbsDiff(before, after) > 1e-4, name + " logits did not move");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-cnn", "seed-vgg", "resnet32", "resnet18"})
    void savedParametersLoadIntoAFreshInstanceWithIdenticalLogits(String name) throws Exception {
        Classifier original = Architectures.build(name, 3, 10, 32).initialize(manager, 3, 32, 32);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
        // a training forward moves the BatchNorm running statistics away from 0/1 so they are tested too
        original.network().forward(ps, new NDList(x), true);
        float[] expected = original.network().forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.network().saveParameters(new DataOutputStream(bytes));
        Engine.getInstance().setRandomSeed(99);
        Classifier copy = Architectures.build(name, 3, 10, 32);
        copy.network().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] actual = copy.network().forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow().toFloatArray();
        assertArrayEquals(expected, actual, 1e-6f);
    }

    private void assertShapes(Classifier c, Shape input, Shape features, Shape logits) {
        ParameterStore ps = new ParameterStore(manager, false);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(input);
            NDArray a = c.features().forward(ps, new NDList(x), false).singletonOrThrow();
            assertEquals(features, a.getShape());
            assertEquals(logits, c.head().forward(ps, new NDList(a), false).singletonOrThrow().getShape());
            assertEquals(logits, c.network().forward(ps, new NDList(x), false).singletonOrThrow().getShape());
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
