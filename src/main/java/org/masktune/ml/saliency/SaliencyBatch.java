package org.masktune.ml.saliency;

/**
 * Saliency maps for one batch: {@code maps[i]} is image {@code i}'s map, row-major
 * {@code height × width} floats in [0, 1], at the network's input size.
 *
 * @param predictedClasses argmax of the logits per image (the class each map explains)
 */
public record SaliencyBatch(int height, int width, float[][] maps, int[] predictedClasses) {

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
