package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.masktune.ml.models.Classifier;

class XGradCamTest {

    private static final float T = 1e-5f;

    /*
     * Image 1: A1 = P = [[1,2],[3,4]], A2 = 5 − P = [[4,3],[2,1]]; pooled features (2.5, 2.5);
     *   logits = (2.5 − 1.25 + 0.1, −1.25 + 2.5) = (1.35, 1.25) → predicted class 0.
     *   w = (1/4, −0.5/4) = (0.25, −0.125); cam = 0.25·A1 − 0.125·A2 = [[−0.25, 0.125], [0.5, 0.875]]
     *   ReLU → [[0, 0.125], [0.5, 0.875]]; min–max → [[0, 1/7], [4/7, 1]].
     * Image 2: A1 = [[4,4],[0,0]], A2 = [[1,1],[5,5]]; pooled (2, 3); logits = (2 − 1.5 + 0.1, −1 + 3) = (0.6, 2)
     *   → class 1; w = (−0.125, 0.25); cam = [[−0.25, −0.25], [1.25, 1.25]] → ReLU, min–max → [[0,0],[1,1]].
     * Bilinear 2 → 4 with align_corners=false samples source x = 0.5·i − 0.25 (clamped to [0, 1]), so a row
     * [a, b] becomes [a, 0.75a + 0.25b, 0.25a + 0.75b, b]; in units of 1/28 image 1's map is
     *   [[0, 1, 3, 4], [4, 5.5, 8.5, 10], [12, 14.5, 19.5, 22], [16, 19, 25, 28]]
     * (its min 0 and max 1 survive the resize, so the second min–max changes nothing).
     */
    @Test
    void mapsMatchTheHandComputedXGradCamResizedToTheInput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.build(manager);
            NDArray batch = manager.create(concat(TinyNet.IMAGE_1, TinyNet.IMAGE_2), new Shape(2, 1, 4, 4));

            SaliencyBatch result = new XGradCam(net).compute(batch);

            assertArrayEquals(new int[] {0, 1}, result.predictedClasses());
            assertEquals(4, result.height());
            assertEquals(4, result.width());
            float[] expected1 = scale(1 / 28f,
                    0, 1, 3, 4,
                    4, 5.5f, 8.5f, 10,
                    12, 14.5f, 19.5f, 22,
                    16, 19, 25, 28);
            float[] expected2 = {
                0, 0, 0, 0,
                0.25f, 0.25f, 0.25f, 0.25f,
                0.75f, 0.75f, 0.75f, 0.75f,
                1, 1, 1, 1};
            assertArrayEquals(expected1, result.maps()[0], T);
            assertArrayEquals(expected2, result.maps()[1], T);
        }
    }

    @Test
    void headParametersGetNoGradientAndStayTrainable() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.build(manager);
            NDArray batch = manager.create(TinyNet.IMAGE_1, new Shape(1, 1, 4, 4));

            new XGradCam(net).compute(batch);

            for (Pair<String, Parameter> p : net.network().getParameters()) {
                assertTrue(p.getValue().requiresGradient(), p.getKey() + " must be trainable again");
                // Without the freeze the linear weight would get ∂y_0/∂W_0 = (2.5, 2.5).
                float gradientMass = p.getValue().getArray().getGradient().abs().sum().getFloat();
                assertEquals(0f, gradientMass, 0f, p.getKey() + " accumulated a gradient");
            }
        }
    }

    @Test
    void aFreshThreadWithRecordingOnGivesTheSameMapsAndNoFeatureGradients() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.build(manager);
            NDArray batch = manager.create(TinyNet.IMAGE_1, new Shape(1, 1, 4, 4));
            SaliencyBatch[] holder = new SaliencyBatch[1];
            Thread worker = new Thread(() -> holder[0] = new XGradCam(net).compute(batch));
            worker.start();
            worker.join();

            assertArrayEquals(scale(1 / 28f, 0, 1, 3, 4, 4, 5.5f, 8.5f, 10, 12, 14.5f, 19.5f, 22, 16, 19, 25, 28),
                    holder[0].maps()[0], T);
            for (Pair<String, Parameter> p : net.features().getParameters()) {
                assertEquals(0f, p.getValue().getArray().getGradient().abs().sum().getFloat(), 0f, p.getKey());
            }
        }
    }

    @Test
    void batchArrayOwnershipIsReturnedAndTemporariesReleased() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.build(manager);
            NDArray batch = manager.create(TinyNet.IMAGE_1, new Shape(1, 1, 4, 4));
            int before = manager.getManagedArrays().size();

            new XGradCam(net).compute(batch);

            assertEquals(manager, batch.getManager());
            assertEquals(before, manager.getManagedArrays().size());
        }
    }

    /*
     * Seed attention with features = avgPool only: A = P = [[1,2],[3,4]] for image 1; channel mean = P;
     * resized like above to (in units of 1) [[1,1.25,1.75,2],[1.5,1.75,2.25,2.5],[2.5,2.75,3.25,3.5],[3,3.25,3.75,4]];
     * min–max (min 1, max 4) → (v − 1)/3.
     */
    @Test
    void seedAttentionIsTheNormalisedUpsampledChannelMean() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.poolOnly(manager);
            NDArray batch = manager.create(TinyNet.IMAGE_1, new Shape(1, 1, 4, 4));

            SaliencyBatch result = new ActivationAttention(net).compute(batch);

            float[] raw = {
                1, 1.25f, 1.75f, 2,
                1.5f, 1.75f, 2.25f, 2.5f,
                2.5f, 2.75f, 3.25f, 3.5f,
                3, 3.25f, 3.75f, 4};
            float[] expected = new float[16];
            for (int i = 0; i < 16; i++) {
                expected[i] = (raw[i] - 1) / 3;
            }
            assertArrayEquals(expected, result.maps()[0], T);
            assertArrayEquals(new int[] {0}, result.predictedClasses());
        }
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static float[] scale(float factor, float... values) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }
}
