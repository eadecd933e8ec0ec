package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ImageResizerTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        byte[] src = bytes(
                0, 10, 200, 255,
                20, 30, 100, 255,
                1, 1, 0, 0,
                1, 2, 0, 1);
        // block means 15, 202.5 → 203 (half up), 1.25 → 1, 0.25 → 0
        assertArrayEquals(bytes(15, 203, 1, 0), ImageResizer.resize(src, 1, 4, 4, 2, 2));
    }

    @Test
    void nonIntegerShrinkWeightsPartialPixels() {
        // 3 → 2: output 0 covers [0, 1.5): (0·1 + 90·0.5)/1.5 = 30; output 1 covers [1.5, 3): (90·0.5 + 180)/1.5 = 150
        assertArrayEquals(bytes(30, 150), ImageResizer.resize(bytes(0, 90, 180), 1, 1, 3, 1, 2));
    }

    @Test
    void enlargingIsBilinearWithHalfPixelCentres() {
        // 2 → 4: centres at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped) → 0, 25, 75, 100
        assertArrayEquals(bytes(0, 25, 75, 100), ImageResizer.resize(bytes(0, 100), 1, 1, 2, 1, 4));
    }

    @Test
    void channelsAreResizedIndependently() {
        byte[] src = bytes(10, 30, 200, 100); // 2 channels of 1×2
        assertArrayEquals(bytes(20, 150), ImageResizer.resize(src, 2, 1, 2, 1, 1));
    }

    @Test
    void centreCropKeepsTheMiddleSquare() {
        // 1 channel, 4 rows × 2 columns → rows 1..2
        byte[] src = bytes(1, 2, 3, 4, 5, 6, 7, 8);
        assertArrayEquals(bytes(3, 4, 5, 6), ImageResizer.centerCropSquare(src, 1, 4, 2));
    }
}
