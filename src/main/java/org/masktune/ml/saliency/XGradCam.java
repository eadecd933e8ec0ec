package org.masktune.ml.saliency;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.models.LeanForward;

/**
 * XGradCAM (Fu et al., 2020) for the classifier's predicted class, as MaskTune's reference computes it
 * with {@code pytorch_grad_cam.XGradCAM}:
 * <ol>
 *   <li>A = features(x) in eval mode, without recording gradients;</li>
 *   <li>a detached copy of A that requires a gradient goes through the head (eval mode) inside a
 *       gradient collector, and Σ_batch y_c (c = argmax of each image's logits) is back-propagated;</li>
 *   <li>w_k = Σ_ij(∂y_c/∂A_k,ij · A_k,ij) / (Σ_ij A_k,ij + 1e-7), cam = ReLU(Σ_k w_k A_k);</li>
 *   <li>per image min–max to [0, 1], bilinear resize to the input size (align_corners=false), and min–max
 *       again (the reference's {@code aggregate_multi_layers} rescales the resized map once more).</li>
 * </ol>
 * The head's parameters are <b>frozen</b> during the pass (and their previous trainable state restored),
 * so no gradient accumulates in them and nothing leaks into a later optimizer step; the features never
 * see the graph because A is detached. Opens and closes one {@link GradientCollector} per call — only one
 * may be open per JVM, so do not call this from inside a training step's collector.
 */
public final class XGradCam implements SaliencyMethod {

    private static final float EPSILON = 1e-7f;

    private final Classifier classifier;
    private final CamUpsampling upsampling;

    public XGradCam(Classifier classifier) {
        this(classifier, CamUpsampling.BILINEAR);
    }

    public XGradCam(Classifier classifier, CamUpsampling upsampling) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.upsampling = Objects.requireNonNull(upsampling, "upsampling");
    }

    @Override
    public SaliencyBatch compute(NDArray batch) {
        Shape shape = batch.getShape();
        int n = Math.toIntExact(shape.get(0));
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        try (NDManager scope = batch.getManager().newSubManager()) {
            // Results of ops belong to their first operand's manager: borrow the batch so they land in scope.
            batch.tempAttach(scope);
            ParameterStore parameters = new ParameterStore(scope, false);
            List<Parameter> frozen = freezeTrainable(classifier.head());
            try (GradMode ignored = GradMode.disabled()) {
                NDArray features = LeanForward.forward(classifier.features(), parameters, new NDList(batch), false).singletonOrThrow();
                NDArray activation = features.stopGradient();
                activation.setRequiresGradient(true);
                int[] predicted;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = LeanForward.forward(classifier.head(), parameters, new NDList(activation), false).singletonOrThrow();
                    NDArray argMax = logits.argMax(1);
                    predicted = toInts(argMax.toLongArray());
                    NDArray target = logits.mul(argMax.oneHot(Math.toIntExact(logits.getShape().get(1)))).sum();
                    collector.backward(target);
                }
                NDArray gradient = activation.getGradient();
                NDArray a = activation.stopGradient();
                NDArray weights = gradient.mul(a).sum(new int[] {2, 3})
                        .div(a.sum(new int[] {2, 3}).add(EPSILON));
                NDArray cam = a.mul(weights.expandDims(2).expandDims(3)).sum(new int[] {1}).maximum(0f);
                int camHeight = Math.toIntExact(cam.getShape().get(1));
                int camWidth = Math.toIntExact(cam.getShape().get(2));
                float[][] maps = upsampling == CamUpsampling.BILINEAR
                        ? resizeNormalised(scope, cam, n, height, width)
                        : MapOps.nearestResize(MapOps.splitAndNormalise(cam.toFloatArray(), n, camHeight * camWidth),
                                camHeight, camWidth, height, width);
                return new SaliencyBatch(height, width, maps, predicted, camHeight, camWidth);
            } finally {
                frozen.forEach(p -> p.freeze(false));
            }
        }
    }

    /** Min–max per image, resize to height×width, min–max again (skipped when already that size). */
    static float[][] resizeNormalised(NDManager scope, NDArray cam, int n, int height, int width) {
        int camHeight = Math.toIntExact(cam.getShape().get(1));
        int camWidth = Math.toIntExact(cam.getShape().get(2));
        float[][] small = MapOps.splitAndNormalise(cam.toFloatArray(), n, camHeight * camWidth);
        if (camHeight == height && camWidth == width) {
            return small;
        }
        float[] flat = new float[n * camHeight * camWidth];
        for (int i = 0; i < n; i++) {
            System.arraycopy(small[i], 0, flat, i * camHeight * camWidth, camHeight * camWidth);
        }
        NDArray normalised = scope.create(flat, new Shape(n, camHeight, camWidth)).toDevice(cam.getDevice(), false);
        NDArray resized = MapOps.bilinearResize(normalised, height, width);
        return MapOps.splitAndNormalise(resized.toFloatArray(), n, height * width);
    }

    private static List<Parameter> freezeTrainable(Block block) {
        List<Parameter> frozen = new ArrayList<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            Parameter parameter = entry.getValue();
            if (parameter.requiresGradient()) {
                parameter.freeze(true);
                frozen.add(parameter);
            }
        }
        return frozen;
    }

    static int[] toInts(long[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = Math.toIntExact(values[i]);
        }
        return ints;
    }
}
