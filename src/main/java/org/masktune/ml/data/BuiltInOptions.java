package org.masktune.ml.data;

/**
 * Options of the built-in datasets.
 *
 * @param biasedMnist parameters of "biased-mnist" (null = {@link BiasedMnistOptions#defaults()}); ignored by "mnist-10k"
 */
public record BuiltInOptions(BiasedMnistOptions biasedMnist) {

    public BuiltInOptions {
        biasedMnist = biasedMnist == null ? BiasedMnistOptions.defaults() : biasedMnist;
    }

    public static BuiltInOptions defaults() {
        return new BuiltInOptions(null);
    }
}
