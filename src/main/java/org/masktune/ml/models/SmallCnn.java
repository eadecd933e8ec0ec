package org.masktune.ml.models;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.UniformInitializer;

/**
 * The MaskTune paper's MNIST network as the authors' {@code SmallCNN} defines it: four 3×3
 * convolutions without padding (16, 16, 32, 32 channels), each followed by BatchNorm and ReLU,
 * 2×2 max-pools after the 2nd and 4th, then FC 256 → BatchNorm1d(256) → ReLU → FC classes.
 *
 * <p>CAM layer: the ReLU after conv4 (the authors' {@code get_grad_cam_target_layer}, {@code backbone[-3]}).
 * Features = conv1 … ReLU4 (32×8×8 for a 28×28 input, 32×10×10 for 32×32); head = max-pool → flatten
 * (512 at 28×28) → FC 256 → BatchNorm → ReLU → FC classes. The convolutions keep their bias as
 * PyTorch's {@code nn.Conv2d} does by default in the reference code.
 *
 * <p>Revisions: {@link #REVISION_NO_HEAD_BATCH_NORM} (1) is the layout this service shipped first,
 * without the head's BatchNorm1d; checkpoints written then carry no revision and are rebuilt with it.
 * {@link #REVISION_AUTHORS} (2) is the authors' layout and what new models get.
 *
 * <p>Initialisation as PyTorch's defaults for {@code nn.Conv2d} and {@code nn.Linear} (what the authors'
 * model starts from): weights and biases uniform in ±1/√fan-in, fan-in = input channels × 3 × 3 or input
 * features; BatchNorm γ = 1, β = 0. DJL's own default (Gaussian weights with σ = √(2/fan-in), zero
 * biases) would start the last layer with ~2.4× larger logits.
 */
final class SmallCnn {

    static final String NAME = "small-cnn";
    /** Two valid 3×3 convs, a pool, two more and a final pool need at least 16 pixels. */
    static final int MIN_IMAGE_SIZE = 16;
    /** FC 256 → ReLU → FC: the first layout of this service, kept to load its checkpoints. */
    static final int REVISION_NO_HEAD_BATCH_NORM = 1;
    /** FC 256 → BatchNorm1d → ReLU → FC, as the authors' {@code src/models/simple_cnn.py}. */
    static final int REVISION_AUTHORS = 2;

    private SmallCnn() {
    }

    static Classifier build(int channels, int classes, int imageSize, int revision) {
        if (revision != REVISION_NO_HEAD_BATCH_NORM && revision != REVISION_AUTHORS) {
            throw new IllegalArgumentException(NAME + " has revisions " + REVISION_NO_HEAD_BATCH_NORM + " and " + REVISION_AUTHORS
                    + ", got " + revision);
        }
        SequentialBlock features = new SequentialBlock();
        features.add(torchDefault(Layers.conv(16, 3, 1, 0, true), channels * 9)).add(Layers.batchNorm()).add(Layers.relu());
        features.add(torchDefault(Layers.conv(16, 3, 1, 0, true), 16 * 9)).add(Layers.batchNorm()).add(Layers.relu());
        features.add(Layers.maxPool(2));
        features.add(torchDefault(Layers.conv(32, 3, 1, 0, true), 16 * 9)).add(Layers.batchNorm()).add(Layers.relu());
        features.add(torchDefault(Layers.conv(32, 3, 1, 0, true), 32 * 9)).add(Layers.batchNorm()).add(Layers.relu());
        int pooled = ((imageSize - 4) / 2 - 4) / 2;
        SequentialBlock head = new SequentialBlock()
                .add(Layers.maxPool(2))
                .add(Blocks.batchFlattenBlock())
                .add(torchDefault(Linear.builder().setUnits(256).build(), 32 * pooled * pooled));
        if (revision == REVISION_AUTHORS) {
            head.add(Layers.batchNorm());
        }
        head.add(Layers.relu())
                .add(torchDefault(Linear.builder().setUnits(classes).build(), 256));
        return Classifier.of(NAME, features, head);
    }

    /** PyTorch's reset_parameters() of Conv2d / Linear: weight and bias ~ U(−1/√fanIn, 1/√fanIn). */
    private static Block torchDefault(Block layer, int fanIn) {
        UniformInitializer uniform = new UniformInitializer((float) (1 / Math.sqrt(fanIn)));
        layer.setInitializer(uniform, Parameter.Type.WEIGHT);
        layer.setInitializer(uniform, Parameter.Type.BIAS);
        return layer;
    }
}
