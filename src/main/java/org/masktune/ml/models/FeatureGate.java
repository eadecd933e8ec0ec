package org.masktune.ml.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;

/**
 * The seed project's ResNet-50 variant of MaskTune: a learned 1×1 convolution + sigmoid turns the last
 * feature map A (N×K×h×w) into a spatial gate g (N×1×h×w) and the head sees A·g, so fine-tuning can
 * switch off the regions the model leaned on. It sits between the CAM layer and the head.
 */
public final class FeatureGate {

    private FeatureGate() {
    }

    /** A ⟼ A · sigmoid(conv1×1(A)), the gate broadcast over the K channels. */
    public static Block create() {
        Block gate = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build())
                .add(Activation::sigmoid);
        return new ParallelBlock(branches -> new NDList(branches.get(0).singletonOrThrow().mul(branches.get(1).singletonOrThrow())),
                List.of(Blocks.identityBlock(), gate));
    }

    /**
     * Gives {@code gated} (a {@link #wrap wrapped} classifier of the same architecture) the trained weights of
     * {@code trained}'s features and head; the gate keeps its fresh initialisation.
     */
    public static void transferWeights(Classifier trained, Classifier gated) {
        NDManager owner = ModelParameters.managerOf(gated.network());
        ModelParameters.load(gated.features(), ModelParameters.save(trained.features()), owner);
        Block head = ((SequentialBlock) gated.head()).getChildren().get(1).getValue();
        ModelParameters.load(head, ModelParameters.save(trained.head()), owner);
    }

    /** {@code classifier} with a gate in front of its head; the CAM layer stays the features' output. */
    public static Classifier wrap(Classifier classifier) {
        return Classifier.of(classifier.architecture(), classifier.features(), new SequentialBlock().add(create()).add(classifier.head()));
    }
}
