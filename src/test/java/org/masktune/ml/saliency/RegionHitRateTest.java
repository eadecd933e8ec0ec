package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.ImageSet;

class RegionHitRateTest {

    @Test
    void countsImagesWhoseRegionIsAtLeastHalfChanged() {
        // Three RGB 4×4 images, region = 2×2 at the top-left. Original red square R=255 there, rest 9.
        int n = 3;
        byte[] original = new byte[n * 3 * 16];
        Arrays.fill(original, (byte) 9);
        for (int i = 0; i < n; i++) {
            for (int p : new int[] {0, 1, 4, 5}) {
                original[i * 48 + p] = (byte) 255;       // R channel
                original[i * 48 + 16 + p] = 0;           // G already 0
            }
        }
        byte[] masked = original.clone();
        zero(masked, 0, 0, 1, 4);            // image 0: 3 of 4 region pixels → hit
        zero(masked, 1, 0);                  // image 1: 1 of 4 → miss
        masked[2 * 48 + 16] = 0;             // image 2: only G of (0,0) "masked", already 0 → unchanged
        zero(masked, 2, 1, 5);               //          plus 2 of 4 → exactly half → hit
        ImageSet before = ImageSet.of(3, 4, 4, original, new int[n], List.of("c"));
        ImageSet after = before.withPixels(masked);

        assertEquals(2 / 3.0, RegionHitRate.fractionAtLeastHalfMasked(before, after, new int[] {0, 1, 2}, 0, 0, 2, 2), 1e-12);
        assertEquals(0.0, RegionHitRate.fractionAtLeastHalfMasked(before, after, new int[] {1}, 0, 0, 2, 2), 0.0);
        assertEquals(1.0, RegionHitRate.fractionAtLeastHalfMasked(before, after, new int[] {0, 2}, 0, 0, 2, 2), 0.0);
        // The bottom-right 2×2 region was never touched.
        assertEquals(0.0, RegionHitRate.fractionAtLeastHalfMasked(before, after, new int[] {0, 1, 2}, 2, 2, 2, 2), 0.0);
    }

    private static void zero(byte[] pixels, int image, int... positions) {
        for (int p : positions) {
            for (int c = 0; c < 3; c++) {
                pixels[image * 48 + c * 16 + p] = 0;
            }
        }
    }
}
