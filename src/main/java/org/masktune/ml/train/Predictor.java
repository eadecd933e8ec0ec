package org.masktune.ml.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.masktune.ml.data.BatchEncoder;
import org.masktune.ml.data.ImageSource;
import ai.djl.ndarray.types.Shape;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.models.LeanForward;

/** Runs a classifier over a whole set in eval mode (BatchNorm running statistics, no dropout, no gradients). */
public final class Predictor {

    private Predictor() {
    }

    /** Logits of every image of {@code set}, in order: {@code [size][outputs]}. */
    public static float[][] logits(Classifier classifier, ImageSource set, BatchEncoder encoder, Device device, int batchSize) {
        return logits(classifier, set, encoder, device, batchSize, BatchPipeline.defaultThreads());
    }

    /**
     * As above; with an {@link ImageBatches} encoder the batches are prepared by {@code loaderThreads}
     * threads ahead of the model, any other encoder on the caller's thread, batch by batch.
     */
    public static float[][] logits(Classifier classifier, ImageSource set, BatchEncoder encoder, Device device, int batchSize,
            int loaderThreads) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        float[][] out = new float[set.size()][];
        ImageBatches batches = encoder instanceof ImageBatches b ? b : null;
        try (NDManager manager = NDManager.newBaseManager(device); Autograd.NoGrad ignored = Autograd.noGrad();
             BatchPipeline pipeline = batches == null || set.size() == 0 ? null
                     : new BatchPipeline(set, batches, range(0, set.size()), batchSize, loaderThreads)) {
            ParameterStore parameters = new ParameterStore(manager, false);
            for (int from = 0; from < set.size(); from += batchSize) {
                int[] indices = range(from, Math.min(set.size(), from + batchSize));
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = pipeline != null
                            ? batch.create(pipeline.next().pixels(), new Shape(indices.length, set.channels(), set.height(), set.width()))
                            : encoder.encode(batch, set, indices);
                    NDArray logits = LeanForward.forward(classifier.network(), parameters, new NDList(x), false).singletonOrThrow();
                    int outputs = (int) logits.getShape().get(1);
                    float[] flat = logits.toFloatArray();
                    for (int k = 0; k < indices.length; k++) {
                        out[from + k] = Arrays.copyOfRange(flat, k * outputs, (k + 1) * outputs);
                    }
                }
            }
        }
        return out;
    }

    static int[] range(int from, int to) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return indices;
    }
}
