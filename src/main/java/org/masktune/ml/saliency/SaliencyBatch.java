package org.masktune.ml.saliency;

/**
 * Saliency maps for one batch: {@code maps[i]} is image {@code i}'s map, row-major
 * {@code height × width} floats in [0, 1], at the network's input size.
 *
 * @param predictedClasses argmax of the logits per image (the class each map explains)
 * @param camHeight        rows of the map before it was upsampled (the CAM layer's resolution)
 * @param camWidth         its columns
 */
public record SaliencyBatch(int height, int width, float[][] maps, int[] predictedClasses, int camHeight, int camWidth) {

    /** Maps computed at the input size. */
    public SaliencyBatch(int height, int width, float[][] maps, int[] predictedClasses) {
        this(height, width, maps, predictedClasses, height, width);
    }

    public SaliencyBatch {
        if (maps.length != predictedClasses.length) {
            throw new IllegalArgumentException(maps.length + " maps for " + predictedClasses.length + " predictions");
        }
        for (float[] map : maps) {
            if (map.length != height * width) {
                throw new IllegalArgumentException("map of " + map.length + " values, expected " + height + "x" + width);
            }
        }
    }

    public int size() {
        return maps.length;
    }
}
