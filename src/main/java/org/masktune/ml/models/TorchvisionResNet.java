package org.masktune.ml.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * ResNet-18 and ResNet-50 in torchvision's layout (layers of 64, 128, 256, 512 base channels;
 * ResNet-18: basic blocks [2,2,2,2]; ResNet-50: bottlenecks [3,4,6,3] with expansion 4 and the stride
 * on the 3×3 conv, "v1.5"). Shortcuts are projections (1×1 conv stride s → BN) where shape changes,
 * identity elsewhere; no conv before a BN has a bias.
 *
 * <p>Stem: for inputs larger than {@value #SMALL_INPUT_MAX} px torchvision's 7×7 stride-2 conv → BN →
 * ReLU → 3×3 stride-2 max-pool; for inputs of at most {@value #SMALL_INPUT_MAX} px the CIFAR stem, a
 * 3×3 stride-1 conv → BN → ReLU without max-pool, which keeps 32×32 images from collapsing to 1×1
 * (ResNet-18 then has 11,173,962 parameters for 10 classes instead of 11,181,642).
 *
 * <p>CAM layer: the output of layer4's last block (512×4×4 for ResNet-18 at 32×32, 2048×7×7 for
 * ResNet-50 at 224×224); head = global average pool → FC classes.
 */
final class TorchvisionResNet {

    static final String RESNET18 = "resnet18";
    static final String RESNET50 = "resnet50";
    static final int SMALL_INPUT_MAX = 64;
    static final int MIN_IMAGE_SIZE = 8;
    private static final int[] WIDTHS = {64, 128, 256, 512};

    private TorchvisionResNet() {
    }

    static Classifier resnet18(int classes, int imageSize) {
        return build(RESNET18, new int[] {2, 2, 2, 2}, false, classes, imageSize);
    }

    static Classifier resnet50(int classes, int imageSize) {
        return build(RESNET50, new int[] {3, 4, 6, 3}, true, classes, imageSize);
    }

    private static Classifier build(String name, int[] blocks, boolean bottleneck, int classes, int imageSize) {
        SequentialBlock features = new SequentialBlock();
        if (imageSize <= SMALL_INPUT_MAX) {
            features.add(Layers.convBnRelu(64, 3, 1, 1));
        } else {
            features.add(Layers.convBnRelu(64, 7, 2, 3))
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        }
        int inChannels = 64;
        for (int layer = 0; layer < WIDTHS.length; layer++) {
            for (int b = 0; b < blocks[layer]; b++) {
                int stride = (b == 0 && layer > 0) ? 2 : 1;
                Block block = bottleneck
                        ? bottleneck(inChannels, WIDTHS[layer], stride)
                        : basicBlock(inChannels, WIDTHS[layer], stride);
                features.add(block);
                inChannels = bottleneck ? WIDTHS[layer] * 4 : WIDTHS[layer];
            }
        }
        SequentialBlock head = new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(classes).build());
        return Classifier.of(name, features, head);
    }

    private static Block basicBlock(int inChannels, int width, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(Layers.convBnRelu(width, 3, stride, 1))
                .add(Layers.conv(width, 3, 1, 1, false))
                .add(Layers.batchNorm());
        return Layers.residual(main, shortcut(inChannels, width, stride));
    }

    private static Block bottleneck(int inChannels, int width, int stride) {
        int out = width * 4;
        SequentialBlock main = new SequentialBlock()
                .add(Layers.convBnRelu(width, 1, 1, 0))
                .add(Layers.convBnRelu(width, 3, stride, 1))
                .add(Layers.conv(out, 1, 1, 0, false))
                .add(Layers.batchNorm());
        return Layers.residual(main, shortcut(inChannels, out, stride));
    }

    private static Block shortcut(int inChannels, int outChannels, int stride) {
        if (stride == 1 && inChannels == outChannels) {
            return Blocks.identityBlock();
        }
        return new SequentialBlock().add(Layers.conv(outChannels, 1, stride, 0, false)).add(Layers.batchNorm());
    }
}
