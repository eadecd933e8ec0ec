package org.masktune.ml.models;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * VGG16 with BatchNorm (torchvision's configuration D: 64,64,M,128,128,M,256×3,M,512×3,M,512×3,M),
 * every conv 3×3 padding 1 (with bias, as torchvision) → BatchNorm → ReLU.
 *
 * <p>CAM layer: the last BatchNorm (and its ReLU) before the final max-pool. Features end there
 * (512×2×2 for 32×32, 512×14×14 for 224×224); head = final max-pool → global average pool → FC classes.
 * Simplification: torchvision's 4096-wide two-layer classifier with dropout is replaced by a single
 * linear layer on the pooled 512 channels, the usual CIFAR variant (and what 32×32 inputs, pooled to
 * 1×1, make sensible).
 */
final class Vgg16Bn {

    static final String NAME = "vgg16-bn";
    /** Five 2×2 max-pools need 32 pixels. */
    static final int MIN_IMAGE_SIZE = 32;
    private static final int[][] STAGES = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    private Vgg16Bn() {
    }

    static Classifier build(int classes) {
        SequentialBlock features = new SequentialBlock();
        for (int stage = 0; stage < STAGES.length; stage++) {
            for (int width : STAGES[stage]) {
                features.add(Layers.conv(width, 3, 1, 1, true)).add(Layers.batchNorm()).add(Layers.relu());
            }
            if (stage < STAGES.length - 1) {
                features.add(Layers.maxPool(2));
            }
        }
        SequentialBlock head = new SequentialBlock()
                .add(Layers.maxPool(2))
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(classes).build());
        return Classifier.of(NAME, features, head);
    }
}
