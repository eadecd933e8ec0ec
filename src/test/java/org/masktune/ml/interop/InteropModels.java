package org.masktune.ml.interop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.Autograd;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;

/** Seeded models with non-trivial BatchNorm statistics, and their logits, for the interop tests. */
public final class InteropModels {

    private InteropModels() {
    }

    public static ModelSpec spec(String architecture, int channels, int classes, int size, boolean gate) {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = 0.4f + 0.05f * c;
            std[c] = 0.2f + 0.01f * c;
        }
        List<String> names = java.util.stream.IntStream.range(0, classes).mapToObj(i -> "class" + i).toList();
        return new ModelSpec(architecture, channels, classes, size, Normalization.of(mean, std), names, gate);
    }

    /**
     * An initialised classifier whose BatchNorm running means lie in [-0.5, 0.5), variances in
     * [0.5, 1.5), shifts in [-0.1, 0.1) and scales in [0.5, 1.5), except the last BatchNorm of each
     * residual branch (and of each projection shortcut), scaled by [0.3, 0.7) so that deep ResNets
     * keep their logits of order 1–10 (what an absolute tolerance of 1e-4 can be asked of).
     */
    public static Classifier seeded(ModelSpec spec, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Classifier classifier = spec.newClassifier(manager);
        Random random = new Random(seed);
        List<TorchLayout.Tensor> layout = TorchLayout.of(spec).tensors().stream().filter(t -> t.role() == TorchLayout.Role.PARAMETER).toList();
        String last = spec.architecture().equals("resnet50") ? "bn3." : "bn2.";
        List<Pair<String, Parameter>> parameters = classifier.network().getParameters().stream().toList();
        try (Autograd.NoGrad ignored = Autograd.noGrad()) {
            for (int k = 0; k < parameters.size(); k++) {
                String name = parameters.get(k).getValue().getName();
                String torchName = layout.get(k).name();
                boolean branchEnd = spec.architecture().startsWith("resnet") && torchName.startsWith("layer")
                        && (torchName.contains(last) || torchName.contains("downsample.1."));
                NDArray array = parameters.get(k).getValue().getArray();
                float[] values = new float[Math.toIntExact(array.size())];
                for (int i = 0; i < values.length; i++) {
                    float u = random.nextFloat();
                    values[i] = switch (name) {
                        case "runningMean" -> u - 0.5f;
                        case "runningVar" -> 0.5f + u;
                        case "beta" -> 0.2f * u - 0.1f;
                        case "gamma" -> branchEnd ? 0.3f + 0.4f * u : 0.5f + u;
                        default -> Float.NaN;
                    };
                }
                if (!Float.isNaN(values.length == 0 ? 0 : values[0])) {
                    array.set(FloatBuffer.wrap(values));
                }
            }
        }
        return classifier;
    }

    /** {@code n} inputs of N(0, 1) values, seeded. */
    public static float[] inputs(int n, int channels, int size, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * channels * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** Eval-mode logits {@code [n][outputs]}. */
    public static float[][] logits(Classifier classifier, NDManager manager, float[] x, int n, int channels, int size) {
        try (NDManager batch = manager.newSubManager(); Autograd.NoGrad ignored = Autograd.noGrad()) {
            NDArray input = batch.create(x, new Shape(n, channels, size, size));
            NDArray out = classifier.network().forward(new ParameterStore(batch, false), new NDList(input), false).singletonOrThrow();
            int k = (int) out.getShape().get(1);
            float[] flat = out.toFloatArray();
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
            }
            return rows;
        }
    }
}
