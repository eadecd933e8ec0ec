package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class MaskFillsTest {

    /** One grey 3 x 4 image: a bright left half (200) and a dark right half (10). */
    private static byte[] image() {
        byte[] px = new byte[12];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                px[y * 4 + x] = (byte) (x < 2 ? 200 : 10);
            }
        }
        return px;
    }

    private static int[] values(byte[] px) {
        int[] v = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            v[i] = px[i] & 0xFF;
        }
        return v;
    }

    private static final boolean[] CENTRE_COLUMN_ONE = BinaryMasksTest.parse(".#../.#../.#..");

    @Test
    void zeroAndDatasetMeanSetConstants() {
        byte[] px = image();
        MaskFills.withoutStatistics(1).apply(MaskFill.ZERO, px, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 0);
        assertArrayEquals(new int[] {200, 0, 10, 10, 200, 0, 10, 10, 200, 0, 10, 10}, values(px));
        px = image();
        new MaskFills(new float[] {77.4f}, new float[] {1}, 0).apply(MaskFill.DATASET_MEAN, px, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 0);
        assertArrayEquals(new int[] {200, 77, 10, 10, 200, 77, 10, 10, 200, 77, 10, 10}, values(px));
    }

    @Test
    void imageMeanIsTheMeanOfTheUnmaskedPixels() {
        byte[] px = image();
        MaskFills.withoutStatistics(1).apply(MaskFill.IMAGE_MEAN, px, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 0);
        // unmasked: three 200s and six 10s -> 660 / 9 = 73.3
        assertArrayEquals(new int[] {200, 73, 10, 10, 200, 73, 10, 10, 200, 73, 10, 10}, values(px));
    }

    @Test
    void inpaintTakesTheMeanOfKnownNeighboursLayerByLayer() {
        byte[] px = image();
        MaskFills.withoutStatistics(1).apply(MaskFill.INPAINT, px, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 0);
        // top: known neighbours 200, 10, 200, 10 -> 105; middle: 200 200 200, 10 10 10 -> 105; bottom like the top
        assertArrayEquals(new int[] {200, 105, 10, 10, 200, 105, 10, 10, 200, 105, 10, 10}, values(px));

        // a hole that covers the whole dark side is filled from what borders it, the bright side
        px = image();
        MaskFills.withoutStatistics(1).apply(MaskFill.INPAINT, px, 0, 1, 3, 4, BinaryMasksTest.parse("..##/..##/..##"), 0);
        // layer 1 (column 2) sees only the bright column 1, layer 2 (column 3) only layer 1: the hole takes its border
        assertArrayEquals(new int[] {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}, values(px));
    }

    @Test
    void inpaintOfAHoleSurroundedByBackgroundIsBackground() {
        // 5 x 5 black background with a bright 3 x 3 patch in the middle, masked with one pixel to spare
        byte[] px = new byte[25];
        for (int y = 1; y < 4; y++) {
            for (int x = 1; x < 4; x++) {
                px[y * 5 + x] = (byte) 255;
            }
        }
        MaskFills.withoutStatistics(1).apply(MaskFill.INPAINT, px, 0, 1, 5, 5, BinaryMasksTest.parse("...../.###./.###./.###./....."), 0);
        assertArrayEquals(new int[25], values(px));
    }

    @Test
    void blurAveragesTheUnmaskedWindowAndNoiseIsSeededPerImage() {
        byte[] px = image();
        MaskFills.withoutStatistics(1).apply(MaskFill.BLUR, px, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 0);
        // the radius-3 window covers the whole image: the mean of the unmasked pixels, 73
        assertArrayEquals(new int[] {200, 73, 10, 10, 200, 73, 10, 10, 200, 73, 10, 10}, values(px));

        MaskFills noise = new MaskFills(new float[] {100}, new float[] {20}, 5);
        byte[] a = image();
        byte[] b = image();
        byte[] c = image();
        noise.apply(MaskFill.NOISE, a, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 7);
        noise.apply(MaskFill.NOISE, b, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 7);
        noise.apply(MaskFill.NOISE, c, 0, 1, 3, 4, CENTRE_COLUMN_ONE, 8);
        assertArrayEquals(a, b);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
        assertEquals(200, a[0] & 0xFF);
    }

    @Test
    void everyChannelOfAMaskedPixelIsFilled() {
        // 2 channels, 1 x 2 image: channel 0 = (50, 90), channel 1 = (60, 120); mask the second pixel
        byte[] px = {50, 90, 60, 120};
        MaskFills.withoutStatistics(2).apply(MaskFill.IMAGE_MEAN, px, 0, 2, 1, 2, new boolean[] {false, true}, 0);
        assertArrayEquals(new int[] {50, 50, 60, 60}, values(px));
    }
}
