package org.masktune.ml.saliency;

import java.util.ArrayDeque;
import java.util.Arrays;

/** Binary masks over one image, row-major {@code height × width} booleans (true = masked). */
public final class BinaryMasks {

    private BinaryMasks() {
    }

    /** The salient pixels of {@code map} (at the image size) under {@code rule}'s threshold. */
    public static boolean[] salient(float[] map, int height, int width, MaskRule rule) {
        if (map.length != height * width) {
            throw new IllegalArgumentException("map of " + map.length + " values for " + height + "x" + width);
        }
        return switch (rule.threshold()) {
            case MEAN_K_STD -> above(map, SaliencyThreshold.muPlusKSigma(map, rule.k()));
            case TOP_FRACTION -> topFraction(map, rule.topFraction());
            case CONNECTED_REGION -> connectedRegions(map, height, width, SaliencyThreshold.muPlusKSigma(map, rule.k()),
                    SaliencyThreshold.muPlusKSigma(map, 0));
        };
    }

    /** The whole mask for one map: salient pixels, then dilation. */
    public static boolean[] of(float[] map, int height, int width, int camHeight, MaskRule rule) {
        return dilate(salient(map, height, width, rule), height, width, rule.dilationPixels(height, camHeight));
    }

    /** Pixels strictly above {@code tau}. */
    public static boolean[] above(float[] map, double tau) {
        boolean[] mask = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            mask[i] = map[i] > tau;
        }
        return mask;
    }

    /**
     * The ⌈q·n⌉ largest values, and every value tied with the smallest of them; nothing when that value is 0
     * or less (a map with too few positive values masks only its positive ones).
     */
    public static boolean[] topFraction(float[] map, double q) {
        int count = (int) Math.ceil(q * map.length);
        float[] sorted = map.clone();
        Arrays.sort(sorted);
        float cut = sorted[Math.max(0, map.length - count)];
        boolean[] mask = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            mask[i] = map[i] >= cut && map[i] > 0;
        }
        return mask;
    }

    /** Every 8-connected region of pixels above {@code low} that contains a pixel above {@code high}. */
    public static boolean[] connectedRegions(float[] map, int height, int width, double high, double low) {
        boolean[] mask = new boolean[map.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < map.length; i++) {
            if (map[i] > high && !mask[i]) {
                mask[i] = true;
                queue.add(i);
                while (!queue.isEmpty()) {
                    int p = queue.poll();
                    int py = p / width;
                    int px = p % width;
                    for (int y = Math.max(0, py - 1); y <= Math.min(height - 1, py + 1); y++) {
                        for (int x = Math.max(0, px - 1); x <= Math.min(width - 1, px + 1); x++) {
                            int q = y * width + x;
                            if (!mask[q] && map[q] > low) {
                                mask[q] = true;
                                queue.add(q);
                            }
                        }
                    }
                }
            }
        }
        return mask;
    }

    /**
     * Dilation by a (2r+1)² square: a pixel is masked when any pixel within Chebyshev distance {@code radius} is.
     * Separable (rows, then columns), so it costs O(pixels · r) whatever the mask.
     */
    public static boolean[] dilate(boolean[] mask, int height, int width, int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("radius must be >= 0, got " + radius);
        }
        if (radius == 0) {
            return mask.clone();
        }
        boolean[] rows = new boolean[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (mask[y * width + x]) {
                    for (int xx = Math.max(0, x - radius); xx <= Math.min(width - 1, x + radius); xx++) {
                        rows[y * width + xx] = true;
                    }
                }
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                if (rows[y * width + x]) {
                    for (int yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++) {
                        out[yy * width + x] = true;
                    }
                }
            }
        }
        return out;
    }

    public static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /** Pixels set in both. */
    public static int countBoth(boolean[] a, boolean[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] && b[i]) {
                n++;
            }
        }
        return n;
    }

    /** The union, in place into {@code into}. */
    public static void orInto(boolean[] into, boolean[] other) {
        for (int i = 0; i < into.length; i++) {
            into[i] |= other[i];
        }
    }
}
