package org.masktune.ml.data;

/**
 * How to read Waterbirds.
 *
 * @param imageSize  side of the square images (default 64); images are resized without keeping the
 *                   aspect ratio, as the group-DRO code's {@code Resize((s, s))} does
 * @param subsetSize at most this many images per split, chosen at random (seed) before decoding; null for all
 * @param seed       seed of the subset choice
 */
public record WaterbirdsOptions(int imageSize, Integer subsetSize, long seed) {

    public static final int DEFAULT_IMAGE_SIZE = 64;

    public WaterbirdsOptions {
        if (imageSize <= 0) {
            throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
        }
        if (subsetSize != null && subsetSize <= 0) {
            throw new IllegalArgumentException("subsetSize must be positive, got " + subsetSize);
        }
    }

    public static WaterbirdsOptions defaults() {
        return new WaterbirdsOptions(DEFAULT_IMAGE_SIZE, null, 0L);
    }
}
