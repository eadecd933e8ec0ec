package org.masktune.ml.saliency;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import org.masktune.ml.models.Classifier;

/**
 * A hand-set network for 1×4×4 inputs:
 * features = avgPool 2×2/2 → 1×1 conv with 2 filters (w = [1, −1], b = [0, 5]) → ReLU, so for a pooled map P
 * A1 = ReLU(P), A2 = ReLU(5 − P) (2×2 each);
 * head = global average pool → linear W = [[1, −0.5], [−0.5, 1]], b = [0.1, 0].
 * For this head ∂y_c/∂A_k,ij = W_ck / 4, so the xGradCAM weight is w_k = W_ck/4 · ΣA_k/(ΣA_k + 1e-7) ≈ W_ck/4.
 */
final class TinyNet {

    private TinyNet() {
    }

    static Classifier build(NDManager manager) {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(2).build();
        SequentialBlock features = new SequentialBlock()
                .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv)
                .add(Activation.reluBlock());
        Linear linear = Linear.builder().setUnits(2).build();
        SequentialBlock head = new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear);
        features.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
        head.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2, 2));
        set(conv, "weight", new float[] {1f, -1f});
        set(conv, "bias", new float[] {0f, 5f});
        set(linear, "weight", new float[] {1f, -0.5f, -0.5f, 1f});
        set(linear, "bias", new float[] {0.1f, 0f});
        return Classifier.of("tiny", features, head);
    }

    /** Features = avgPool 2×2/2 only (one channel), head = global average pool → linear [1] with bias 0. */
    static Classifier poolOnly(NDManager manager) {
        Block features = new SequentialBlock().add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        Linear linear = Linear.builder().setUnits(1).build();
        SequentialBlock head = new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear);
        features.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
        head.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 2, 2));
        set(linear, "weight", new float[] {1f});
        set(linear, "bias", new float[] {0f});
        return Classifier.of("pool-only", features, head);
    }

    /**
     * A hand-set network for RGB inputs of any even size: features = avgPool 2×2/2 → 1×1 conv with 2 filters
     * (w = [1, −1, 0.5], [−1, 0.5, 1], b = [0, 0.2]) → ReLU; head = global average pool → linear
     * [[1, −0.5], [−0.5, 1]], b = [0.1, 0]. No random initialisation: the same maps on every machine.
     */
    static Classifier rgb(NDManager manager) {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(2).build();
        SequentialBlock features = new SequentialBlock()
                .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv)
                .add(Activation.reluBlock());
        Linear linear = Linear.builder().setUnits(2).build();
        SequentialBlock head = new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(linear);
        features.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4, 4));
        head.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2, 2));
        set(conv, "weight", new float[] {1f, -1f, 0.5f, -1f, 0.5f, 1f});
        set(conv, "bias", new float[] {0f, 0.2f});
        set(linear, "weight", new float[] {1f, -0.5f, -0.5f, 1f});
        set(linear, "bias", new float[] {0.1f, 0f});
        return Classifier.of("tiny-rgb", features, head);
    }

    private static void set(Block block, String name, float[] values) {
        block.getDirectParameters().get(name).getArray().set(values);
    }

    /** Image 1: 2×2 blocks of 1, 2 / 3, 4 (pooled P = [[1,2],[3,4]]). */
    static final float[] IMAGE_1 = {
        1, 1, 2, 2,
        1, 1, 2, 2,
        3, 3, 4, 4,
        3, 3, 4, 4};
    /** Image 2: top half 4, bottom half 0 (pooled P = [[4,4],[0,0]]). */
    static final float[] IMAGE_2 = {
        4, 4, 4, 4,
        4, 4, 4, 4,
        0, 0, 0, 0,
        0, 0, 0, 0};
}
