package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.ImageSet;

class ImageBatchesTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void evaluationEncodingIsScaledAndNormalisedPerChannelInNchw() {
        // one 2-channel 2×2 image: channel 0 = 0, 255, 51, 102; channel 1 = 0, 255, 0, 255
        byte[] px = {0, (byte) 255, 51, 102, 0, (byte) 255, 0, (byte) 255};
        ImageSet set = ImageSet.of(2, 2, 2, px, new int[] {0}, List.of("a"));
        Normalization n = Normalization.of(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f});
        NDArray x = ImageBatches.evaluation(n).encode(manager, set, new int[] {0});
        assertEquals(new Shape(1, 2, 2, 2), x.getShape());
        // (p/255 − mean)/std: 0 → −1, 255 → 1, 51 → (0.2−0.5)/0.5 = −0.6, 102 → −0.2; channel 1: −1, 3
        assertArrayEquals(new float[] {-1f, 1f, -0.6f, -0.2f, -1f, 3f, -1f, 3f}, x.toFloatArray(), 1e-6f);
    }

    @Test
    void statisticsFromDataArePerChannelMeanAndPopulationStd() {
        // channel 0 holds 0 and 255 equally often (mean 0.5, std 0.5); channel 1 is constant 51 (std falls back to 1)
        byte[] px = {0, (byte) 255, 51, 51, (byte) 255, 0, 51, 51};
        ImageSet set = ImageSet.of(2, 1, 2, px, new int[] {0, 1}, List.of("a", "b"));
        Normalization n = Normalization.fromData(set);
        assertArrayEquals(new float[] {0.5f, 0.2f}, n.mean(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 1f}, n.std(), 1e-6f);
    }

    @Test
    void augmentationIsDeterministicPerSeedAndImageWhateverTheBatch() {
        ImageSet set = TestImages.leftRight(16, 3, 12, 1);
        Augmentation all = new Augmentation(true, 2, new Augmentation.ScaleRange(0.5, 1.0));
        Normalization n = Normalization.fromData(set);
        int[] batch = {3, 7, 11};
        float[] first = ImageBatches.training(n, all, 3).encode(manager, set, batch).toFloatArray();
        float[] again = ImageBatches.training(n, all, 3).encode(manager, set, batch).toFloatArray();
        float[] alone = ImageBatches.training(n, all, 3).encode(manager, set, new int[] {7}).toFloatArray();
        float[] otherSeed = ImageBatches.training(n, all, 4).encode(manager, set, batch).toFloatArray();
        float[] plain = ImageBatches.evaluation(n).encode(manager, set, batch).toFloatArray();
        assertArrayEquals(first, again, 0f);
        int image = set.imageBytes();
        assertArrayEquals(Arrays.copyOfRange(first, image, 2 * image), alone, 0f);
        assertFalse(Arrays.equals(first, otherSeed));
        assertFalse(Arrays.equals(first, plain));
    }

    @Test
    void horizontalFlipMirrorsRoughlyHalfTheImages() {
        ImageSet set = TestImages.leftRight(40, 1, 8, 2);
        Normalization n = Normalization.unit(1);
        int[] all = Predictor.range(0, 40);
        float[] plain = ImageBatches.evaluation(n).encode(manager, set, all).toFloatArray();
        float[] flipped = ImageBatches.training(n, new Augmentation(true, 0, null), 9).encode(manager, set, all).toFloatArray();
        int mirrored = 0;
        for (int i = 0; i < 40; i++) {
            float[] original = Arrays.copyOfRange(plain, i * 64, (i + 1) * 64);
            float[] out = Arrays.copyOfRange(flipped, i * 64, (i + 1) * 64);
            float[] mirror = ImageOps.flipHorizontal(original, 1, 8, 8);
            assertTrue(Arrays.equals(out, original) || Arrays.equals(out, mirror), "image " + i + " is neither itself nor its mirror");
            mirrored += Arrays.equals(out, mirror) ? 1 : 0;
        }
        assertTrue(mirrored >= 10 && mirrored <= 30, "mirrored " + mirrored + " of 40");
    }

    @Test
    void paddedRandomCropIsAShiftWithinThePaddingFilledWithBlack() {
        ImageSet set = TestImages.leftRight(20, 1, 8, 3);
        Normalization n = Normalization.unit(1);
        float[] out = ImageBatches.training(n, new Augmentation(false, 2, null), 5)
                .encode(manager, set, Predictor.range(0, 20)).toFloatArray();
        int shifted = 0;
        for (int i = 0; i < 20; i++) {
            float[] raw = new float[64];
            for (int p = 0; p < 64; p++) {
                raw[p] = (set.pixels()[i * 64 + p] & 0xFF) / 255f;
            }
            float[] actual = Arrays.copyOfRange(out, i * 64, (i + 1) * 64);
            boolean found = false;
            for (int dy = -2; dy <= 2 && !found; dy++) {
                for (int dx = -2; dx <= 2 && !found; dx++) {
                    if (Arrays.equals(actual, ImageOps.shift(raw, 1, 8, 8, dy, dx))) {
                        found = true;
                        shifted += (dy != 0 || dx != 0) ? 1 : 0;
                    }
                }
            }
            assertTrue(found, "image " + i + " is not a shift of at most 2 px");
        }
        assertTrue(shifted >= 12, "only " + shifted + " of 20 images moved");
    }

    @Test
    void bilinearResizeOfTheWholeImageIsTheIdentityAndUpsamplingUsesHalfPixelCentres() {
        float[] img = {0, 10, 20, 30};
        assertArrayEquals(img, ImageOps.resizeBilinear(img, 1, 2, 2, 0, 0, 2, 2), 0f);
        // the top-left 2×2 (0, 10 / 20, 30) of a 4×4 image stretched to 4×4, as torch's
        // interpolate(bilinear, align_corners=False): source x = (x + 0.5)/2 − 0.5 → 0, 0.25, 0.75, 1
        float[] big = new float[16];
        big[0] = 0;
        big[1] = 10;
        big[4] = 20;
        big[5] = 30;
        float[] out = ImageOps.resizeBilinear(big, 1, 4, 4, 0, 0, 2, 2);
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10, 5, 7.5f, 12.5f, 15}, Arrays.copyOf(out, 8), 1e-5f);
    }
}
