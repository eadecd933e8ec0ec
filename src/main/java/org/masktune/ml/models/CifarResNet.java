package org.masktune.ml.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The CIFAR ResNet of He et al. (2016) §4.2 as used by the MaskTune code (akamaster's layout):
 * 3×3 conv 16 → BN → ReLU, then three stages of n basic blocks at 16, 32 and 64 channels (stride 2 at
 * the first block of stages 2 and 3). ResNet-32 has n = 5.
 *
 * <p>Shortcuts are <b>option A</b> (parameter-free): where a block halves the resolution and doubles
 * the channels, the shortcut takes every second pixel and zero-pads the new channels, so ResNet-32 has
 * the paper's 0.46 M parameters. CAM layer: the output of stage 3's last block (64×8×8 for 32×32);
 * head = global average pool → FC classes.
 */
final class CifarResNet {

    static final String NAME = "resnet32";
    static final int MIN_IMAGE_SIZE = 4;
    static final int BLOCKS_PER_STAGE = 5;

    private CifarResNet() {
    }

    static Classifier build(int classes) {
        SequentialBlock features = new SequentialBlock().add(Layers.convBnRelu(16, 3, 1, 1));
        int inChannels = 16;
        for (int width : new int[] {16, 32, 64}) {
            for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
                int stride = (b == 0 && width != inChannels) ? 2 : 1;
                features.add(basicBlock(inChannels, width, stride));
                inChannels = width;
            }
        }
        SequentialBlock head = new SequentialBlock()
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(classes).build());
        return Classifier.of(NAME, features, head);
    }

    private static Block basicBlock(int inChannels, int width, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(Layers.convBnRelu(width, 3, stride, 1))
                .add(Layers.conv(width, 3, 1, 1, false))
                .add(Layers.batchNorm());
        Block shortcut = (stride == 1 && inChannels == width)
                ? Blocks.identityBlock()
                : new LambdaBlock(x -> new NDList(subsampleAndPad(x.singletonOrThrow(), width - inChannels)), "optionA");
        return Layers.residual(main, shortcut);
    }

    /** x[:, :, ::2, ::2] with {@code extra}/2 zero channels on each side, as akamaster's LambdaLayer. */
    private static NDArray subsampleAndPad(NDArray x, int extra) {
        NDArray sub = x.get(":, :, ::2, ::2");
        Shape s = sub.getShape();
        NDArray zeros = sub.getManager().zeros(new Shape(s.get(0), extra / 2, s.get(2), s.get(3)), sub.getDataType(), sub.getDevice());
        return NDArrays.concat(new NDList(zeros, sub, zeros), 1);
    }
}
