package org.masktune.ml.data;

/**
 * Options of the built-in datasets.
 *
 * @param biasedMnist parameters of "biased-mnist" (null = {@link BiasedMnistOptions#defaults()}); ignored by "mnist-10k"
 * @param imageSize   square side to resize the 28×28 digits to, or null to keep 28; for "biased-mnist"
 *                    the digits are resized <em>before</em> the square is drawn, so the square keeps
 *                    its exact size, colour and position
 */
public record BuiltInOptions(BiasedMnistOptions biasedMnist, Integer imageSize) {

    public BuiltInOptions {
        biasedMnist = biasedMnist == null ? BiasedMnistOptions.defaults() : biasedMnist;
        if (imageSize != null && imageSize < 1) {
            throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
        }
    }

    public BuiltInOptions(BiasedMnistOptions biasedMnist) {
        this(biasedMnist, null);
    }

    public static BuiltInOptions defaults() {
        return new BuiltInOptions(null, null);
    }
}
