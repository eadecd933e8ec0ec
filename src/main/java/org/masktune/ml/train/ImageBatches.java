package org.masktune.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.SplittableRandom;
import org.masktune.ml.data.BatchEncoder;
import org.masktune.ml.data.ImageSource;

/**
 * Encodes raw uint8 images as a normalised float32 NCHW batch, optionally augmenting them. The pixel
 * work happens in plain Java into one float[]; the NDArray is created once per batch.
 *
 * <p>Augmentation is deterministic: image {@code i} always gets the same crop and flip for the same
 * seed, whatever batch it is in. The training loop derives a new seed per epoch.
 */
public final class ImageBatches implements BatchEncoder {

    private final Normalization normalization;
    private final Augmentation augmentation;
    private final long seed;
    private final float[][] tables;

    private ImageBatches(Normalization normalization, Augmentation augmentation, long seed) {
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        this.augmentation = augmentation == null ? Augmentation.none() : augmentation;
        this.seed = seed;
        this.tables = new float[normalization.channels()][];
        for (int c = 0; c < tables.length; c++) {
            tables[c] = normalization.lookupTable(c);
        }
    }

    /** Normalisation only: for validation, prediction and saliency. */
    public static ImageBatches evaluation(Normalization normalization) {
        return new ImageBatches(normalization, Augmentation.none(), 0);
    }

    /** Normalisation after the given augmentations, drawn from {@code seed}. */
    public static ImageBatches training(Normalization normalization, Augmentation augmentation, long seed) {
        return new ImageBatches(normalization, augmentation, seed);
    }

    /** The batch of {@code indices} of {@code set} as an NDArray of {@code manager}. */
    @Override
    public NDArray encode(NDManager manager, ImageSource set, int[] indices) {
        return manager.create(encodeToArray(set, indices), new Shape(indices.length, set.channels(), set.height(), set.width()));
    }

    /**
     * The batch as a flat NCHW float array, without any NDArray: what loader threads compute while the
     * model runs the previous batch. Safe to call from several threads at once.
     */
    public float[] encodeToArray(ImageSource set, int[] indices) {
        if (set.channels() != normalization.channels()) {
            throw new IllegalArgumentException("images have " + set.channels() + " channels, normalisation has " + normalization.channels());
        }
        int size = set.imageBytes();
        float[] out = new float[indices.length * size];
        byte[] raw = new byte[size];
        for (int k = 0; k < indices.length; k++) {
            set.read(indices[k], raw, 0);
            if (augmentation.isNone()) {
                normalizeRaw(set, raw, out, k * size);
            } else {
                augmentInto(set, indices[k], raw, out, k * size);
            }
        }
        return out;
    }

    private void normalizeRaw(ImageSource set, byte[] px, float[] out, int offset) {
        int plane = set.height() * set.width();
        for (int c = 0; c < set.channels(); c++) {
            float[] table = tables[c];
            int from = c * plane;
            int to = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                out[to + p] = table[px[from + p] & 0xFF];
            }
        }
    }

    /** Image {@code image} draws its crop and flip from (seed, image) alone: the same whatever thread or batch encodes it. */
    private void augmentInto(ImageSource set, int image, byte[] px, float[] out, int offset) {
        SplittableRandom rng = new SplittableRandom(mix(seed, image));
        int c = set.channels();
        int h = set.height();
        int w = set.width();
        float[] img = new float[set.imageBytes()];
        for (int i = 0; i < img.length; i++) {
            img[i] = px[i] & 0xFF;
        }
        if (augmentation.randomResizedCropScale() != null) {
            img = ImageOps.randomResizedCrop(img, c, h, w, augmentation.randomResizedCropScale(), rng);
        }
        if (augmentation.randomCropPadding() > 0) {
            int p = augmentation.randomCropPadding();
            img = ImageOps.shift(img, c, h, w, rng.nextInt(2 * p + 1) - p, rng.nextInt(2 * p + 1) - p);
        }
        if (augmentation.horizontalFlip() && rng.nextBoolean()) {
            img = ImageOps.flipHorizontal(img, c, h, w);
        }
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < plane; p++) {
                out[offset + ch * plane + p] = normalization.normalize(ch, img[ch * plane + p]);
            }
        }
    }

    /** SplitMix64's finaliser over (a, b): well-spread seeds for neighbouring epochs and image indices. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
