package org.masktune.ml.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/** The few building blocks every architecture here is made of, with PyTorch's defaults. */
final class Layers {

    private Layers() {
    }

    /** Square convolution; {@code bias} false before a BatchNorm as torchvision does. */
    static Block conv(int filters, int kernel, int stride, int padding, boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(bias)
                .build();
    }

    /** BatchNorm over channels with PyTorch's eps 1e-5 and momentum 0.1 (DJL counts momentum as 1 − that). */
    static Block batchNorm() {
        return BatchNorm.builder().optAxis(1).optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    static Block relu() {
        return Activation.reluBlock();
    }

    /** conv → BatchNorm → ReLU, with the conv's bias dropped since BatchNorm cancels it. */
    static SequentialBlock convBnRelu(int filters, int kernel, int stride, int padding) {
        return new SequentialBlock().add(conv(filters, kernel, stride, padding, false)).add(batchNorm()).add(relu());
    }

    static Block maxPool(int size) {
        return Pool.maxPool2dBlock(new Shape(size, size), new Shape(size, size));
    }

    /** relu(main(x) + shortcut(x)): the residual join of every ResNet block. */
    static ParallelBlock residual(Block main, Block shortcut) {
        return new ParallelBlock(Layers::addThenRelu, List.of(main, shortcut));
    }

    private static NDList addThenRelu(List<NDList> branches) {
        NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }
}
