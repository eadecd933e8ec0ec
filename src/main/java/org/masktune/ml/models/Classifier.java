package org.masktune.ml.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;

/**
 * An image classifier split at its CAM layer: {@code features} maps a normalised NCHW batch to the
 * activation map A (N×K×h×w) that xGradCAM explains, {@code head} maps A to logits (pooling included).
 * {@code network} is {@code features} followed by {@code head}, the block that is trained and saved.
 */
public record Classifier(String architecture, Block features, Block head, SequentialBlock network) {

    public static Classifier of(String architecture, Block features, Block head) {
        SequentialBlock network = new SequentialBlock().add(features).add(head);
        return new Classifier(architecture, features, head, network);
    }

    /**
     * Creates the parameters in {@code manager} for inputs of {@code channels×height×width} (float32).
     * Draws from the engine's random generator: call {@code Engine.getInstance().setRandomSeed(seed)}
     * first for a reproducible initialisation.
     *
     * @return this classifier, for chaining
     */
    public Classifier initialize(NDManager manager, int channels, int height, int width) {
        network.initialize(manager, DataType.FLOAT32, new Shape(1, channels, height, width));
        return this;
    }

    public boolean isInitialized() {
        return network.isInitialized();
    }

    /** Number of trainable values (what PyTorch's {@code sum(p.numel() for p in model.parameters())} counts). */
    public long parameterCount() {
        long count = 0;
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (p.getValue().requiresGradient()) {
                count += p.getValue().getShape().size();
            }
        }
        return count;
    }
}
