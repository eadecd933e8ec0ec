package org.masktune.ml.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.masktune.ml.train.ModelSpec;

/**
 * The PyTorch {@code state_dict} of each architecture: every layer with parameters, in the order
 * DJL stores them ({@code Block.getParameters()}, depth first), with its PyTorch module name and shape.
 * This is the one mapping definition per architecture; {@link #of(ModelSpec)} builds it from the
 * model's spec alone (no engine), so the service can check or write weights without loading libtorch.
 *
 * <p>Names: torchvision's own for {@code resnet18}, {@code resnet50} and the features of
 * {@code vgg16-bn} (whose head here is one linear layer {@code classifier}); for {@code small-cnn},
 * {@code seed-vgg} and {@code resnet32} (akamaster's layout) the names of the definitions in
 * {@code interop/pytorch/masktune_models.py}; the feature gate adds {@code gate.weight} and
 * {@code gate.bias}. A BatchNorm layer has PyTorch's five entries (the fifth,
 * {@code num_batches_tracked}, is an int64 scalar DJL does not keep).
 *
 * @param layers     in DJL parameter order
 * @param headPrefix the prefix of the final classifier's tensors (e.g. {@code fc.}): the part that
 *                   is replaced when imported weights were trained for another number of classes
 */
public record TorchLayout(String architecture, List<Layer> layers, String headPrefix) {

    /** What kind of DJL block a layer is; decides its tensors. */
    public enum Kind { CONV, BATCH_NORM, LINEAR }

    /**
     * One layer: {@code shape} is the weight's ([out, in, k, k] for a convolution, [out, in] for a
     * linear layer, [channels] for BatchNorm).
     */
    public record Layer(String name, Kind kind, long[] shape, boolean bias) {

        /** This layer's tensors in PyTorch's {@code state_dict} order. */
        public List<Tensor> tensors() {
            List<Tensor> tensors = new ArrayList<>();
            switch (kind) {
                case CONV, LINEAR -> {
                    tensors.add(new Tensor(name + ".weight", shape, Role.PARAMETER, "weight"));
                    if (bias) {
                        tensors.add(new Tensor(name + ".bias", new long[] {shape[0]}, Role.PARAMETER, "bias"));
                    }
                }
                case BATCH_NORM -> {
                    tensors.add(new Tensor(name + ".weight", shape, Role.PARAMETER, "gamma"));
                    tensors.add(new Tensor(name + ".bias", shape, Role.PARAMETER, "beta"));
                    tensors.add(new Tensor(name + ".running_mean", shape, Role.PARAMETER, "runningMean"));
                    tensors.add(new Tensor(name + ".running_var", shape, Role.PARAMETER, "runningVar"));
                    tensors.add(new Tensor(name + ".num_batches_tracked", new long[0], Role.BATCH_COUNT, null));
                }
            }
            return tensors;
        }
    }

    /** PARAMETER: a DJL parameter (float32); BATCH_COUNT: BatchNorm's num_batches_tracked (int64 scalar, no DJL twin). */
    public enum Role { PARAMETER, BATCH_COUNT }

    /** One entry of the state_dict; {@code djlName} is the DJL parameter's own name, null for a BATCH_COUNT. */
    public record Tensor(String name, long[] shape, Role role, String djlName) {

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    public TorchLayout {
        Objects.requireNonNull(architecture, "architecture");
        layers = List.copyOf(layers);
    }

    /** Every tensor of the state_dict, in order. */
    public List<Tensor> tensors() {
        List<Tensor> all = new ArrayList<>();
        layers.forEach(layer -> all.addAll(layer.tensors()));
        return all;
    }

    public boolean isHead(String tensorName) {
        return tensorName.startsWith(headPrefix);
    }

    /** The layout of the model {@code spec} describes (its feature gate included). */
    public static TorchLayout of(ModelSpec spec) {
        Builder b = new Builder();
        int c = spec.channels();
        int k = spec.classes();
        int s = spec.imageSize();
        String head;
        long featureChannels;
        switch (spec.architecture()) {
            case "small-cnn" -> {
                b.conv("conv1", 16, c, 3, true).bn("bn1", 16);
                b.conv("conv2", 16, 16, 3, true).bn("bn2", 16);
                b.conv("conv3", 32, 16, 3, true).bn("bn3", 32);
                b.conv("conv4", 32, 32, 3, true).bn("bn4", 32);
                featureChannels = 32;
                int side = ((s - 4) / 2 - 4) / 2;
                b.gateIf(spec.featureGate(), featureChannels);
                b.linear("fc1", 256, 32L * side * side);
                if (spec.revision() >= 2) {
                    b.bn("bn5", 256); // the authors' BatchNorm1d between fc1 and its ReLU
                }
                b.linear("fc2", k, 256);
                head = "fc2.";
            }
            case "seed-vgg" -> {
                vggFeatures(b, c, new int[] {64, 64, 0, 128, 128, 0, 256, 256}, false);
                featureChannels = 256;
                b.gateIf(spec.featureGate(), featureChannels);
                b.linear("classifier", k, 256);
                head = "classifier.";
            }
            case "vgg16-bn" -> {
                vggFeatures(b, c, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512}, true);
                featureChannels = 512;
                b.gateIf(spec.featureGate(), featureChannels);
                b.linear("classifier", k, 512);
                head = "classifier.";
            }
            case "resnet32" -> {
                b.conv("conv1", 16, c, 3, false).bn("bn1", 16);
                int in = 16;
                int[] widths = {16, 32, 64};
                for (int layer = 0; layer < 3; layer++) {
                    for (int block = 0; block < 5; block++) {
                        String p = "layer" + (layer + 1) + "." + block + ".";
                        b.conv(p + "conv1", widths[layer], in, 3, false).bn(p + "bn1", widths[layer]);
                        b.conv(p + "conv2", widths[layer], widths[layer], 3, false).bn(p + "bn2", widths[layer]);
                        in = widths[layer];
                    }
                }
                featureChannels = 64;
                b.gateIf(spec.featureGate(), featureChannels);
                b.linear("linear", k, 64);
                head = "linear.";
            }
            case "resnet18", "resnet50" -> {
                boolean bottleneck = spec.architecture().equals("resnet50");
                int[] blocks = bottleneck ? new int[] {3, 4, 6, 3} : new int[] {2, 2, 2, 2};
                b.conv("conv1", 64, c, s <= TORCHVISION_SMALL_INPUT_MAX ? 3 : 7, false).bn("bn1", 64);
                int in = 64;
                int[] widths = {64, 128, 256, 512};
                for (int layer = 0; layer < 4; layer++) {
                    int w = widths[layer];
                    int out = bottleneck ? 4 * w : w;
                    for (int block = 0; block < blocks[layer]; block++) {
                        String p = "layer" + (layer + 1) + "." + block + ".";
                        int stride = block == 0 && layer > 0 ? 2 : 1;
                        if (bottleneck) {
                            b.conv(p + "conv1", w, in, 1, false).bn(p + "bn1", w);
                            b.conv(p + "conv2", w, w, 3, false).bn(p + "bn2", w);
                            b.conv(p + "conv3", out, w, 1, false).bn(p + "bn3", out);
                        } else {
                            b.conv(p + "conv1", w, in, 3, false).bn(p + "bn1", w);
                            b.conv(p + "conv2", w, w, 3, false).bn(p + "bn2", w);
                        }
                        if (stride != 1 || in != out) {
                            b.conv(p + "downsample.0", out, in, 1, false).bn(p + "downsample.1", out);
                        }
                        in = out;
                    }
                }
                featureChannels = in;
                b.gateIf(spec.featureGate(), featureChannels);
                b.linear("fc", k, in);
                head = "fc.";
            }
            default -> throw new IllegalArgumentException("no PyTorch layout for architecture " + spec.architecture());
        }
        return new TorchLayout(spec.architecture(), b.layers, head);
    }

    /** Inputs up to this side use the 3×3 stride-1 stem in the service's torchvision ResNets (see TorchvisionResNet). */
    public static final int TORCHVISION_SMALL_INPUT_MAX = 64;

    /** torchvision's {@code features} indices: conv, BN, ReLU take three, a max-pool (0 here) one. */
    private static void vggFeatures(Builder b, int channels, int[] config, boolean convBias) {
        int index = 0;
        long in = channels;
        for (int width : config) {
            if (width == 0) {
                index++;
                continue;
            }
            b.conv("features." + index, width, in, 3, convBias).bn("features." + (index + 1), width);
            index += 3;
            in = width;
        }
    }

    private static final class Builder {
        private final List<Layer> layers = new ArrayList<>();

        Builder conv(String name, long out, long in, int kernel, boolean bias) {
            layers.add(new Layer(name, Kind.CONV, new long[] {out, in, kernel, kernel}, bias));
            return this;
        }

        Builder bn(String name, long channels) {
            layers.add(new Layer(name, Kind.BATCH_NORM, new long[] {channels}, true));
            return this;
        }

        Builder linear(String name, long out, long in) {
            layers.add(new Layer(name, Kind.LINEAR, new long[] {out, in}, true));
            return this;
        }

        void gateIf(boolean gate, long channels) {
            if (gate) {
                conv("gate", 1, channels, 1, true);
            }
        }
    }
}
