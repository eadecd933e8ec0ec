package org.masktune.ml.saliency;

import java.util.random.RandomGenerator;

/**
 * Masking operations on one raw uint8 NCHW image inside a pixel array (in place). Each returns the
 * number of pixel positions (y, x) it masked; every channel of a masked position is changed.
 * When the map is smaller or larger than the image, the map is sampled nearest-neighbour.
 */
public final class PixelMasks {

    private PixelMasks() {
    }

    /** MaskTune: every channel of pixels whose map value is strictly above {@code tau} becomes 0. */
    public static int zeroAbove(byte[] pixels, int offset, int channels, int height, int width,
                                float[] map, int mapHeight, int mapWidth, double tau) {
        int masked = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (MapOps.nearest(map, mapHeight, mapWidth, height, width, y, x) > tau) {
                    masked++;
                    for (int c = 0; c < channels; c++) {
                        pixels[offset + (c * height + y) * width + x] = 0;
                    }
                }
            }
        }
        return masked;
    }

    /**
     * The seed's soft mask: pixels whose map value is strictly above {@code threshold} are multiplied by
     * {@code factor} and rounded half up ({@code Math.round}), e.g. ×0.5 maps 255 → 128, 200 → 100, 3 → 2
     * and leaves 1 → 1 and 0 → 0.
     */
    public static int attenuateAbove(byte[] pixels, int offset, int channels, int height, int width,
                                     float[] map, int mapHeight, int mapWidth, double threshold, double factor) {
        boolean[] mask = new boolean[height * width];
        int masked = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (MapOps.nearest(map, mapHeight, mapWidth, height, width, y, x) > threshold) {
                    mask[y * width + x] = true;
                    masked++;
                }
            }
        }
        attenuate(pixels, offset, channels, height, width, mask, factor);
        return masked;
    }

    /** Every channel of the positions set in {@code mask} is multiplied by {@code factor}, rounded half up, as above. */
    public static void attenuate(byte[] pixels, int offset, int channels, int height, int width, boolean[] mask, double factor) {
        if (mask.length != height * width) {
            throw new IllegalArgumentException("mask of " + mask.length + " pixels for " + height + "x" + width);
        }
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            if (mask[p]) {
                for (int c = 0; c < channels; c++) {
                    int i = offset + c * plane + p;
                    long value = Math.round((pixels[i] & 0xFF) * factor);
                    pixels[i] = (byte) Math.max(0, Math.min(255, value));
                }
            }
        }
    }

    /**
     * The paper's random-mask ablation: one square hole set to 0, side uniform in
     * [{@code minSide}, {@code maxSide}] (capped at the image's smaller side), top-left corner uniform so the
     * square lies inside the image.
     *
     * @return the hole drawn (its side after capping); it covers side² pixels
     */
    public static Hole randomSquare(byte[] pixels, int offset, int channels, int height, int width,
                                   RandomGenerator random, int minSide, int maxSide) {
        Hole hole = randomHole(height, width, random, minSide, maxSide);
        for (int c = 0; c < channels; c++) {
            for (int y = hole.top(); y < hole.top() + hole.side(); y++) {
                for (int x = hole.left(); x < hole.left() + hole.side(); x++) {
                    pixels[offset + (c * height + y) * width + x] = 0;
                }
            }
        }
        return hole;
    }

    /** The hole {@link #randomSquare} draws, without touching any pixel (the same draws from {@code random}). */
    public static Hole randomHole(int height, int width, RandomGenerator random, int minSide, int maxSide) {
        int side = Math.min(Math.min(height, width), minSide + random.nextInt(maxSide - minSide + 1));
        int top = random.nextInt(height - side + 1);
        int left = random.nextInt(width - side + 1);
        return new Hole(top, left, side);
    }

    /** A square hole: rows top..top+side-1, columns left..left+side-1. */
    public record Hole(int top, int left, int side) {

        public boolean[] mask(int height, int width) {
            boolean[] mask = new boolean[height * width];
            for (int y = top; y < top + side; y++) {
                for (int x = left; x < left + side; x++) {
                    mask[y * width + x] = true;
                }
            }
            return mask;
        }
    }
}
