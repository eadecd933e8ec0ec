package org.masktune.ml.models;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * A compact VGG for 32×32 images, standing in for the seed project's "EnhancedVGG": three stages of
 * two (3×3 conv, padding 1 → BatchNorm → ReLU) at 64, 128 and 256 channels, with a 2×2 max-pool after
 * stages 1 and 2.
 *
 * <p>CAM layer: the last ReLU of stage 3. Features end there (256×8×8 for 32×32); head = global
 * average pool → dropout 0.3 → FC classes. Global pooling keeps the head small and input-size agnostic.
 */
final class SeedVgg {

    static final String NAME = "seed-vgg";
    static final int MIN_IMAGE_SIZE = 4;
    static final float DROPOUT = 0.3f;

    private SeedVgg() {
    }

    static Classifier build(int classes) {
        SequentialBlock features = new SequentialBlock();
        int[] widths = {64, 128, 256};
        for (int stage = 0; stage < widths.length; stage++) {
            features.add(Layers.convBnRelu(widths[stage], 3, 1, 1)).add(Layers.convBnRelu(widths[stage], 3, 1, 1));
            if (stage < widths.length - 1) {
                features.add(Layers.maxPool(2));
            }
        }
        SequentialBlock head = new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(Linear.builder().setUnits(classes).build());
        return Classifier.of(NAME, features, head);
    }
}
