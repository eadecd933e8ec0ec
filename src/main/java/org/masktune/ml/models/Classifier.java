package org.masktune.ml.models;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

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
}
