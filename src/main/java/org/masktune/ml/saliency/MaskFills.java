package org.masktune.ml.saliency;

import java.util.SplittableRandom;
import org.masktune.ml.data.ImageSource;

/**
 * Applies a {@link MaskFill} to the masked pixels of one raw uint8 NCHW image inside a pixel array, in place.
 *
 * @param datasetMean per-channel mean of the training set, 0–255 (DATASET_MEAN, NOISE, and the fallback of the
 *                    others when an image has no unmasked pixel left)
 * @param datasetStd  per-channel standard deviation of the training set, 0–255 (NOISE)
 * @param seed        NOISE: the noise of image i is drawn from a generator seeded with (seed, i)
 */
public record MaskFills(float[] datasetMean, float[] datasetStd, long seed) {

    /** Window radius of {@link MaskFill#BLUR}. */
    public static final int BLUR_RADIUS = 3;

    public MaskFills {
        if (datasetMean.length != datasetStd.length) {
            throw new IllegalArgumentException("mean has " + datasetMean.length + " channels, std " + datasetStd.length);
        }
        datasetMean = datasetMean.clone();
        datasetStd = datasetStd.clone();
    }

    /** For fills that need no dataset statistics (ZERO, IMAGE_MEAN, BLUR, INPAINT with unmasked pixels left). */
    public static MaskFills withoutStatistics(int channels) {
        return new MaskFills(new float[channels], new float[channels], 0);
    }

    /**
     * Per-channel mean and standard deviation of all pixels of {@code set}, read image by image (one pass over a
     * cached or masked set; the sums add the same values in the same order per channel as over one array).
     */
    public static MaskFills ofDataset(ImageSource set, long seed) {
        int channels = set.channels();
        int plane = set.height() * set.width();
        double[] sums = new double[channels];
        double[] squares = new double[channels];
        byte[] px = new byte[set.imageBytes()];
        for (int i = 0; i < set.size(); i++) {
            set.read(i, px, 0);
            for (int c = 0; c < channels; c++) {
                double sum = sums[c];
                double square = squares[c];
                int base = c * plane;
                for (int p = 0; p < plane; p++) {
                    int v = px[base + p] & 0xFF;
                    sum += v;
                    square += (double) v * v;
                }
                sums[c] = sum;
                squares[c] = square;
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double n = Math.max(1.0, (double) set.size() * plane);
            mean[c] = (float) (sums[c] / n);
            std[c] = (float) Math.sqrt(Math.max(0, squares[c] / n - (sums[c] / n) * (sums[c] / n)));
        }
        return new MaskFills(mean, std, seed);
    }

    /** Fills the pixels of image {@code image} (at {@code offset}) where {@code mask} is set. */
    public void apply(MaskFill fill, byte[] pixels, int offset, int channels, int height, int width, boolean[] mask, int image) {
        if (mask.length != height * width) {
            throw new IllegalArgumentException("mask of " + mask.length + " pixels for " + height + "x" + width);
        }
        switch (fill) {
            case ZERO -> constant(pixels, offset, channels, height, width, mask, new float[channels]);
            case DATASET_MEAN -> constant(pixels, offset, channels, height, width, mask, datasetMean);
            case IMAGE_MEAN -> constant(pixels, offset, channels, height, width, mask, unmaskedMean(pixels, offset, channels, height, width, mask));
            case NOISE -> noise(pixels, offset, channels, height, width, mask, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + image));
            case BLUR -> blur(pixels, offset, channels, height, width, mask);
            case INPAINT -> inpaint(pixels, offset, channels, height, width, mask);
        }
    }

    private static void constant(byte[] pixels, int offset, int channels, int height, int width, boolean[] mask, float[] value) {
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            if (mask[p]) {
                for (int c = 0; c < channels; c++) {
                    pixels[offset + c * plane + p] = toByte(value[c]);
                }
            }
        }
    }

    private float[] unmaskedMean(byte[] pixels, int offset, int channels, int height, int width, boolean[] mask) {
        int plane = height * width;
        double[] sums = new double[channels];
        int known = 0;
        for (int p = 0; p < plane; p++) {
            if (!mask[p]) {
                known++;
                for (int c = 0; c < channels; c++) {
                    sums[c] += pixels[offset + c * plane + p] & 0xFF;
                }
            }
        }
        if (known == 0) {
            return datasetMean.clone();
        }
        float[] mean = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) (sums[c] / known);
        }
        return mean;
    }

    private void noise(byte[] pixels, int offset, int channels, int height, int width, boolean[] mask, SplittableRandom random) {
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            if (mask[p]) {
                for (int c = 0; c < channels; c++) {
                    double gaussian = gaussian(random);
                    pixels[offset + c * plane + p] = toByte((float) (datasetMean[c] + datasetStd[c] * gaussian));
                }
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; SplittableRandom has no nextGaussian of its own in Java 17's API for records
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private void blur(byte[] pixels, int offset, int channels, int height, int width, boolean[] mask) {
        int plane = height * width;
        byte[] source = java.util.Arrays.copyOfRange(pixels, offset, offset + channels * plane);
        float[] fallback = null;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (!mask[y * width + x]) {
                    continue;
                }
                double[] sums = new double[channels];
                int known = 0;
                for (int yy = Math.max(0, y - BLUR_RADIUS); yy <= Math.min(height - 1, y + BLUR_RADIUS); yy++) {
                    for (int xx = Math.max(0, x - BLUR_RADIUS); xx <= Math.min(width - 1, x + BLUR_RADIUS); xx++) {
                        int q = yy * width + xx;
                        if (!mask[q]) {
                            known++;
                            for (int c = 0; c < channels; c++) {
                                sums[c] += source[c * plane + q] & 0xFF;
                            }
                        }
                    }
                }
                if (known == 0 && fallback == null) {
                    fallback = unmaskedMean(source, 0, channels, height, width, mask);
                }
                for (int c = 0; c < channels; c++) {
                    float value = known > 0 ? (float) (sums[c] / known) : fallback[c];
                    pixels[offset + c * plane + y * width + x] = toByte(value);
                }
            }
        }
    }

    private void inpaint(byte[] pixels, int offset, int channels, int height, int width, boolean[] mask) {
        int plane = height * width;
        boolean[] known = new boolean[plane];
        int unknown = 0;
        for (int p = 0; p < plane; p++) {
            known[p] = !mask[p];
            if (mask[p]) {
                unknown++;
            }
        }
        if (unknown == plane) {
            constant(pixels, offset, channels, height, width, mask, datasetMean);
            return;
        }
        int[] frontier = new int[plane];
        float[] values = new float[plane * channels];
        while (unknown > 0) {
            int size = 0;
            for (int p = 0; p < plane; p++) {
                if (known[p]) {
                    continue;
                }
                int py = p / width;
                int px = p % width;
                int neighbours = 0;
                float[] sums = new float[channels];
                for (int y = Math.max(0, py - 1); y <= Math.min(height - 1, py + 1); y++) {
                    for (int x = Math.max(0, px - 1); x <= Math.min(width - 1, px + 1); x++) {
                        int q = y * width + x;
                        if (known[q]) {
                            neighbours++;
                            for (int c = 0; c < channels; c++) {
                                sums[c] += pixels[offset + c * plane + q] & 0xFF;
                            }
                        }
                    }
                }
                if (neighbours > 0) {
                    for (int c = 0; c < channels; c++) {
                        values[size * channels + c] = sums[c] / neighbours;
                    }
                    frontier[size++] = p;
                }
            }
            // a whole layer is decided from the previous layers only, so the result does not depend on scan order
            for (int f = 0; f < size; f++) {
                int p = frontier[f];
                for (int c = 0; c < channels; c++) {
                    pixels[offset + c * plane + p] = toByte(values[f * channels + c]);
                }
                known[p] = true;
            }
            unknown -= size;
        }
    }

    private static byte toByte(float value) {
        return (byte) Math.max(0, Math.min(255, Math.round(value)));
    }
}
