package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.BatchEncoder;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.models.Classifier;

class DatasetMaskerTest {

    /** Raw pixels as floats, unscaled, so the hand-set network sees the values used in XGradCamTest. */
    private static final BatchEncoder IDENTITY = (manager, set, indices) -> {
        ImageSet selected = set.select(indices).toImageSet();
        float[] values = new float[selected.pixels().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = selected.pixels()[i] & 0xFF;
        }
        return manager.create(values, new Shape(indices.length, set.channels(), set.height(), set.width()));
    };

    private static ImageSet twoImages() {
        float[] both = XGradCamTest.concat(TinyNet.IMAGE_1, TinyNet.IMAGE_2);
        byte[] pixels = new byte[both.length];
        for (int i = 0; i < both.length; i++) {
            pixels[i] = (byte) both[i];
        }
        return ImageSet.of(1, 4, 4, pixels, new int[] {0, 1}, List.of("a", "b"));
    }

    /*
     * Image 1's map (units of 1/28): positives 1 3 4 4 5.5 8.5 10 12 14.5 19.5 22 16 19 25 28 → μ = 12.8,
     * σ = 8.2922 (population), so τ(k=1) = 21.09: (2,3)=22, (3,2)=25, (3,3)=28 are masked (3/16), and
     * τ(k=2) = 29.38 > 28 masks nothing. Image 2's map rows 0, .25, .75, 1: μ = 2/3, σ = 0.3118,
     * τ(k=1) = 0.978 masks the bottom row (4/16, pixels already 0), τ(k=2) = 1.29 masks nothing.
     */
    @Test
    void xGradCamMaskingZeroesTheHandComputedPixelsAndReportsFractions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.build(manager);
            ImageSet set = twoImages();
            byte[] before = set.pixels().clone();

            MaskingResult k1 = DatasetMasker.mask(net, set, IDENTITY, Device.cpu(), 1,
                    MaskingOptions.defaults(MaskingStrategy.XGRADCAM).withK(1));

            byte[] expected = before.clone();
            expected[2 * 4 + 3] = 0;
            expected[3 * 4 + 2] = 0;
            expected[3 * 4 + 3] = 0;
            assertArrayEquals(expected, k1.masked().toImageSet().pixels());
            assertArrayEquals(before, set.pixels(), "the input set must not change");
            assertArrayEquals(new float[] {3 / 16f, 4 / 16f}, k1.maskedFraction(), 0f);
            assertEquals(7 / 32.0, k1.stats().mean(), 1e-7);
            assertEquals(3 / 16.0 + 0.1 / 16, k1.stats().p10(), 1e-7);
            assertEquals(7 / 32.0, k1.stats().p50(), 1e-7);
            assertEquals(3 / 16.0 + 0.9 / 16, k1.stats().p90(), 1e-7);
            assertEquals(2, k1.previewMaps().size());
            assertEquals(28 / 28f, k1.previewMaps().get(0)[15], 1e-6f);
            assertTrue(k1.imagesPerSecond() > 0);

            MaskingResult batched = DatasetMasker.mask(net, set, IDENTITY, Device.cpu(), 2,
                    MaskingOptions.defaults(MaskingStrategy.XGRADCAM).withK(1));
            assertArrayEquals(k1.masked().toImageSet().pixels(), batched.masked().toImageSet().pixels(), "batch size must not matter");

            MaskingResult k2 = DatasetMasker.mask(net, set, IDENTITY, Device.cpu(), 2,
                    MaskingOptions.defaults(MaskingStrategy.XGRADCAM));
            assertArrayEquals(before, k2.masked().toImageSet().pixels());
            assertArrayEquals(new float[] {0f, 0f}, k2.maskedFraction(), 0f);
        }
    }

    @Test
    void accumulativeMaskingStartsFromTheMaskedPixels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.build(manager);
            MaskingOptions options = MaskingOptions.defaults(MaskingStrategy.XGRADCAM).withK(1);
            MaskedImages onceMasked = DatasetMasker.mask(net, twoImages(), IDENTITY, Device.cpu(), 2, options).masked();
            ImageSet once = onceMasked.toImageSet();

            ImageSet twice = DatasetMasker.mask(net, onceMasked, IDENTITY, Device.cpu(), 2, options).masked().toImageSet();

            // Pooled P of image 1 is now [[1,2],[3,1]]: the first mask stays and more of the image goes black.
            for (int p : new int[] {2 * 4 + 3, 3 * 4 + 2, 3 * 4 + 3}) {
                assertEquals(0, twice.pixels()[p]);
            }
            assertTrue(zeros(twice, 0) > zeros(once, 0), "second pass should mask more of image 1");
        }
    }

    /*
     * Seed attention with features = avgPool: map = (v − 1)/3 with v from XGradCamTest's attention case;
     * sorted v: 1 1.25 1.5 1.75 1.75 2 2.25 2.5 2.5 2.75 3 3.25 3.25 3.5 3.75 4 → 0.75-quantile at
     * position 11.25 = 3.25; strictly above: (2,3)=3.5, (3,2)=3.75, (3,3)=4 → pixels 4 → 2.
     */
    @Test
    void seedAttentionAttenuatesTheTopQuarterByHalf() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.poolOnly(manager);
            ImageSet one = twoImages().select(new int[] {0});

            MaskingResult result = DatasetMasker.mask(net, one, IDENTITY, Device.cpu(), 4,
                    MaskingOptions.defaults(MaskingStrategy.SEED_ATTENTION));

            byte[] expected = one.pixels().clone();
            expected[2 * 4 + 3] = 2;
            expected[3 * 4 + 2] = 2;
            expected[3 * 4 + 3] = 2;
            assertArrayEquals(expected, result.masked().toImageSet().pixels());
            assertArrayEquals(new float[] {3 / 16f}, result.maskedFraction(), 0f);
        }
    }

    @Test
    void randomMaskingNeedsNoModelAndIsSeeded() {
        byte[] pixels = new byte[5 * 3 * 28 * 28];
        java.util.Arrays.fill(pixels, (byte) 200);
        ImageSet set = ImageSet.of(3, 28, 28, pixels, new int[5], List.of("x"));
        MaskingOptions options = MaskingOptions.defaults(MaskingStrategy.RANDOM).withSeed(3);

        MaskingResult a = DatasetMasker.mask(null, set, null, Device.cpu(), 2, options);
        MaskingResult b = DatasetMasker.mask(null, set, null, Device.cpu(), 2, options);

        assertArrayEquals(a.masked().toImageSet().pixels(), b.masked().toImageSet().pixels());
        for (int i = 0; i < 5; i++) {
            int zeros = zeros(a.masked().toImageSet(), i) / 3;
            int side = (int) Math.round(Math.sqrt(zeros));
            assertEquals(side * side, zeros);
            assertTrue(side >= 2 && side <= 14);
            assertEquals(zeros / 784f, a.maskedFraction()[i], 0f);
        }
        assertTrue(a.previewMaps().isEmpty());
    }

    private static int zeros(ImageSet set, int image) {
        int count = 0;
        for (int p = image * set.imageBytes(); p < (image + 1) * set.imageBytes(); p++) {
            if (set.pixels()[p] == 0) {
                count++;
            }
        }
        return count;
    }
}
