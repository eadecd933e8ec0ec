package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PixelMasksTest {

    @Test
    void zeroAboveClearsEveryChannelOfExactlyThePixelsAboveTau() {
        // Two channels of a 2×3 image; map values above 0.5 at (0,1) and (1,2); 0.5 itself is not above.
        byte[] pixels = {
            10, 11, 12,
            13, 14, 15,
            20, 21, 22,
            23, 24, 25};
        float[] map = {0.1f, 0.9f, 0.5f, 0f, 0.2f, 0.7f};
        int masked = PixelMasks.zeroAbove(pixels, 0, 2, 2, 3, map, 2, 3, 0.5);
        assertEquals(2, masked);
        assertArrayEquals(new byte[] {10, 0, 12, 13, 14, 0, 20, 0, 22, 23, 24, 0}, pixels);
    }

    @Test
    void smallerMapIsSampledNearestNeighbour() {
        // A 2×2 map over a 4×4 image: map cell (1,0) covers rows 2–3, columns 0–1.
        byte[] pixels = new byte[16];
        Arrays.fill(pixels, (byte) 7);
        int masked = PixelMasks.zeroAbove(pixels, 0, 1, 4, 4, new float[] {0, 0, 1, 0}, 2, 2, 0.5);
        assertEquals(4, masked);
        byte[] expected = {7, 7, 7, 7, 7, 7, 7, 7, 0, 0, 7, 7, 0, 0, 7, 7};
        assertArrayEquals(expected, pixels);
    }

    @Test
    void zeroAboveLeavesOtherImagesOfTheArrayAlone() {
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8};   // two 1×2×2 images
        PixelMasks.zeroAbove(pixels, 4, 1, 2, 2, new float[] {1, 1, 1, 1}, 2, 2, 0.5);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 0, 0, 0, 0}, pixels);
    }

    @Test
    void attenuationHalvesAndRoundsHalfUp() {
        // 255·0.5 = 127.5 → 128, 200 → 100, 3·0.5 = 1.5 → 2, 1·0.5 = 0.5 → 1 (unchanged), 0 → 0; (1,2) is not above.
        byte[] pixels = {(byte) 255, (byte) 200, 3, 1, 0, 77};
        float[] map = {1, 1, 1, 1, 1, 0};
        int masked = PixelMasks.attenuateAbove(pixels, 0, 1, 2, 3, map, 2, 3, 0.5, 0.5);
        assertEquals(5, masked);
        assertArrayEquals(new byte[] {(byte) 128, 100, 2, 1, 0, 77}, pixels);
    }

    @Test
    void randomSquareIsOneZeroSquareWithSideInRangeAndDeterministicPerSeed() {
        int minSeen = Integer.MAX_VALUE;
        int maxSeen = 0;
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 400; trial++) {
            byte[] pixels = filled(3 * 20 * 20);
            int side = PixelMasks.randomSquare(pixels, 0, 3, 20, 20, random, 2, 14).side();
            assertTrue(side >= 2 && side <= 14, "side " + side);
            minSeen = Math.min(minSeen, side);
            maxSeen = Math.max(maxSeen, side);
            assertSquareOfZeros(pixels, 20, side);
        }
        assertEquals(2, minSeen);
        assertEquals(14, maxSeen);

        byte[] a = filled(3 * 20 * 20);
        byte[] b = filled(3 * 20 * 20);
        byte[] c = filled(3 * 20 * 20);
        PixelMasks.randomSquare(a, 0, 3, 20, 20, new SplittableRandom(7), 2, 14);
        PixelMasks.randomSquare(b, 0, 3, 20, 20, new SplittableRandom(7), 2, 14);
        PixelMasks.randomSquare(c, 0, 3, 20, 20, new SplittableRandom(8), 2, 14);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
    }

    @Test
    void randomSquareIsCappedByASmallImage() {
        byte[] pixels = filled(5 * 5);
        int side = PixelMasks.randomSquare(pixels, 0, 1, 5, 5, new SplittableRandom(1), 14, 14).side();
        assertEquals(5, side);
        assertArrayEquals(new byte[25], pixels);
    }

    private static byte[] filled(int n) {
        byte[] pixels = new byte[n];
        Arrays.fill(pixels, (byte) 255);
        return pixels;
    }

    /** Every channel has zeros exactly on one side×side square at the same place. */
    private static void assertSquareOfZeros(byte[] pixels, int size, int side) {
        int plane = size * size;
        int top = -1;
        int left = -1;
        for (int i = 0; i < plane && top < 0; i++) {
            if (pixels[i] == 0) {
                top = i / size;
                left = i % size;
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = y >= top && y < top + side && x >= left && x < left + side;
                    assertEquals(inside ? 0 : (byte) 255, pixels[c * plane + y * size + x]);
                }
            }
        }
    }
}
