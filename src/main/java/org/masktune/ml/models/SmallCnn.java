package org.masktune.ml.models;

import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The MaskTune paper's MNIST network: four 3×3 convolutions without padding (16, 16, 32, 32 channels),
 * each followed by BatchNorm and ReLU, 2×2 max-pools after the 2nd and 4th, then FC 256 → ReLU → FC.
 *
 * <p>CAM layer: the ReLU after conv4. Features = conv1 … ReLU4 (32×8×8 for a 28×28 input, 32×10×10
 * for 32×32); head = max-pool → flatten (512 at 28×28) → FC 256 → ReLU → FC classes. The convolutions
 * keep their bias as PyTorch's {@code nn.Conv2d} does by default in the reference code.
 */
final class SmallCnn {

    static final String NAME = "small-cnn";
    /** Two valid 3×3 convs, a pool, two more and a final pool need at least 16 pixels. */
    static final int MIN_IMAGE_SIZE = 16;

    private SmallCnn() {
    }

    static Classifier build(int classes) {
        SequentialBlock features = new SequentialBlock();
        features.add(Layers.conv(16, 3, 1, 0, true)).add(Layers.batchNorm()).add(Layers.relu());
        features.add(Layers.conv(16, 3, 1, 0, true)).add(Layers.batchNorm()).add(Layers.relu());
        features.add(Layers.maxPool(2));
        features.add(Layers.conv(32, 3, 1, 0, true)).add(Layers.batchNorm()).add(Layers.relu());
        features.add(Layers.conv(32, 3, 1, 0, true)).add(Layers.batchNorm()).add(Layers.relu());
        SequentialBlock head = new SequentialBlock()
                .add(Layers.maxPool(2))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build())
                .add(Layers.relu())
                .add(Linear.builder().setUnits(classes).build());
        return Classifier.of(NAME, features, head);
    }
}
