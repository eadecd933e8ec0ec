package org.masktune.ml.train;

import java.util.List;
import java.util.Random;
import org.masktune.ml.data.ImageSet;

/** Tiny generated image sets. */
final class TestImages {

    private TestImages() {
    }

    /**
     * {@code n} noise images (values 0–59) with a bright square (200–255, side size/4) in the left half
     * (class 0, "left") or the right half (class 1, "right"), alternating.
     */
    static ImageSet leftRight(int n, int channels, int size, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[n * channels * size * size];
        int[] labels = new int[n];
        int half = size / 2;
        int side = Math.max(2, size / 4);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int top = random.nextInt(size - side + 1);
            int left = labels[i] == 0 ? random.nextInt(half - side + 1) : half + random.nextInt(half - side + 1);
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        boolean inSquare = y >= top && y < top + side && x >= left && x < left + side;
                        int value = inSquare ? 200 + random.nextInt(56) : random.nextInt(60);
                        pixels[((i * channels + c) * size + y) * size + x] = (byte) value;
                    }
                }
            }
        }
        return ImageSet.of(channels, size, size, pixels, labels, List.of("left", "right"));
    }

    /** The same images as a multi-label set with attributes [is left, is right]. */
    static ImageSet leftRightAttributes(int n, int size, long seed) {
        ImageSet single = leftRight(n, 1, size, seed);
        byte[] attributes = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            attributes[i * 2 + single.labels()[i]] = 1;
        }
        return new ImageSet(1, size, size, single.pixels(), single.labels(), null, single.classes(), List.of(),
                attributes, List.of("left", "right"));
    }
}
