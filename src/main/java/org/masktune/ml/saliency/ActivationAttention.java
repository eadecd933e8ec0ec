package org.masktune.ml.saliency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.models.LeanForward;

/**
 * The seed project's "attention": the channel mean of the features' output A (the last conv stage),
 * upsampled bilinearly (align_corners=false) to the input size and min–max normalised per image.
 * No gradients are involved; the head runs only to report the predicted class.
 */
public final class ActivationAttention implements SaliencyMethod {

    private final Classifier classifier;

    public ActivationAttention(Classifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    @Override
    public SaliencyBatch compute(NDArray batch) {
        Shape shape = batch.getShape();
        int n = Math.toIntExact(shape.get(0));
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        try (NDManager scope = batch.getManager().newSubManager(); GradMode ignored = GradMode.disabled()) {
            batch.tempAttach(scope);
            ParameterStore parameters = new ParameterStore(scope, false);
            NDArray activation = LeanForward.forward(classifier.features(), parameters, new NDList(batch), false).singletonOrThrow();
            NDArray logits = LeanForward.forward(classifier.head(), parameters, new NDList(activation), false).singletonOrThrow();
            int[] predicted = XGradCam.toInts(logits.argMax(1).toLongArray());
            NDArray attention = activation.mean(new int[] {1});
            int mapHeight = Math.toIntExact(attention.getShape().get(1));
            int mapWidth = Math.toIntExact(attention.getShape().get(2));
            NDArray resized = mapHeight == height && mapWidth == width
                    ? attention : MapOps.bilinearResize(attention, height, width);
            return new SaliencyBatch(height, width, MapOps.splitAndNormalise(resized.toFloatArray(), n, height * width), predicted,
                    mapHeight, mapWidth);
        }
    }
}
