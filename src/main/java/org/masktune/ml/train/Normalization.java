package org.masktune.ml.train;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.Objects;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.data.ImageSource;

/**
 * Per-channel normalisation as torchvision's {@code ToTensor} + {@code Normalize}: a raw pixel p
 * (0–255) becomes {@code (p / 255 − mean[c]) / std[c]}.
 */
@Schema(description = "Per-channel mean and standard deviation of pixel values scaled to [0, 1].")
public record Normalization(
        @Schema(description = "mean per channel", example = "[0.4914, 0.4822, 0.4465]") float[] mean,
        @Schema(description = "standard deviation per channel", example = "[0.247, 0.2435, 0.2616]") float[] std) {

    public Normalization {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Fixed values, e.g. published dataset statistics. */
    public static Normalization of(float[] mean, float[] std) {
        return new Normalization(mean, std);
    }

    /** Only the scaling to [0, 1]. */
    public static Normalization unit(int channels) {
        float[] zeros = new float[channels];
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new Normalization(zeros, ones);
    }

    /** Mean and population standard deviation of every channel over all pixels of {@code set}. */
    public static Normalization fromData(ImageSet set) {
        return fromData((ImageSource) set);
    }

    /** As {@link #fromData(ImageSet)}, reading the set image by image (one pass over a cached set). */
    public static Normalization fromData(ImageSource set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        long[] histogram = new long[c * 256];
        byte[] px = new byte[set.imageBytes()];
        for (int image = 0; image < set.size(); image++) {
            set.read(image, px, 0);
            for (int ch = 0; ch < c; ch++) {
                int base = ch * 256;
                for (int p = ch * plane, end = p + plane; p < end; p++) {
                    histogram[base + (px[p] & 0xFF)]++;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double n = 0;
            double sum = 0;
            double sumSq = 0;
            for (int v = 0; v < 256; v++) {
                long count = histogram[ch * 256 + v];
                double x = v / 255.0;
                n += count;
                sum += count * x;
                sumSq += count * x * x;
            }
            double m = sum / n;
            mean[ch] = (float) m;
            // a constant channel (e.g. blank test images) would divide by 0; scale it like unit()
            double variance = Math.max(0, sumSq / n - m * m);
            std[ch] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new Normalization(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    /** The normalised value of every raw pixel value 0–255 in {@code channel}. */
    float[] lookupTable(int channel) {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = normalize(channel, v);
        }
        return table;
    }

    /** Normalised value of a raw (possibly interpolated) pixel value in 0–255. */
    float normalize(int channel, float raw) {
        return (raw / 255f - mean[channel]) / std[channel];
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
