package org.masktune.ml.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of architectures: each is defined once (its own class) and built here by name.
 * Built classifiers are not yet initialised; see {@link Classifier#initialize}.
 */
public final class Architectures {

    private static final Map<String, ArchitectureInfo> INFO = new LinkedHashMap<>();

    static {
        register(new ArchitectureInfo(SmallCnn.NAME,
                "MaskTune's MNIST CNN (the authors' SmallCNN): 4 unpadded 3x3 convs (16,16,32,32) with BN+ReLU, 2 max-pools,"
                        + " FC 256 + BatchNorm1d + ReLU, FC",
                "ReLU after conv4", 28, 224_986, SmallCnn.MIN_IMAGE_SIZE, SmallCnn.REVISION_AUTHORS));
        register(new ArchitectureInfo(SeedVgg.NAME,
                "Compact VGG (seed project's EnhancedVGG): 3 stages of 2x(conv3x3-BN-ReLU) at 64/128/256, GAP, dropout, FC",
                "last ReLU of stage 3", 32, 1_148_874, SeedVgg.MIN_IMAGE_SIZE, 1));
        register(new ArchitectureInfo(Vgg16Bn.NAME,
                "VGG16 with BatchNorm; single linear classifier on globally pooled 512 channels",
                "last BatchNorm+ReLU before the final max-pool", 32, 14_728_266, Vgg16Bn.MIN_IMAGE_SIZE, 1));
        register(new ArchitectureInfo(CifarResNet.NAME,
                "CIFAR ResNet-32: 3 stages x 5 basic blocks at 16/32/64, option-A (zero-pad) shortcuts",
                "end of stage 3 (last basic block)", 32, 464_154, CifarResNet.MIN_IMAGE_SIZE, 1));
        register(new ArchitectureInfo(TorchvisionResNet.RESNET18,
                "torchvision ResNet-18 (basic blocks [2,2,2,2], 64..512); 3x3 stride-1 stem without max-pool for inputs <= 64 px",
                "end of layer4 (last basic block)", 32, 11_173_962, TorchvisionResNet.MIN_IMAGE_SIZE, 1));
        register(new ArchitectureInfo(TorchvisionResNet.RESNET50,
                "torchvision ResNet-50 (bottlenecks [3,4,6,3], v1.5); 3x3 stride-1 stem without max-pool for inputs <= 64 px",
                "end of layer4 (last bottleneck)", 224, 23_520_842, TorchvisionResNet.MIN_IMAGE_SIZE, 1));
    }

    private Architectures() {
    }

    private static void register(ArchitectureInfo info) {
        INFO.put(info.name(), info);
    }

    /** Registry names in catalogue order. */
    public static List<String> names() {
        return List.copyOf(INFO.keySet());
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static ArchitectureInfo info(String name) {
        ArchitectureInfo info = INFO.get(name);
        if (info == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; known: " + String.join(", ", INFO.keySet()));
        }
        return info;
    }

    /**
     * Builds an uninitialised classifier of the current revision for {@code channels}-channel square
     * images of side {@code imageSize} and {@code classes} outputs.
     *
     * @throws IllegalArgumentException for an unknown name or sizes the architecture cannot take
     */
    public static Classifier build(String name, int channels, int classes, int imageSize) {
        return build(name, channels, classes, imageSize, info(name).revision());
    }

    /**
     * As {@link #build(String, int, int, int)}, in layout {@code revision} (1 up to the current one):
     * how a checkpoint written by an earlier layout is rebuilt.
     *
     * @throws IllegalArgumentException also for a revision the architecture never had
     */
    public static Classifier build(String name, int channels, int classes, int imageSize, int revision) {
        ArchitectureInfo info = info(name);
        if (revision < 1 || revision > info.revision()) {
            throw new IllegalArgumentException(name + " has layout revisions 1.." + info.revision() + ", got " + revision);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if (imageSize < info.minImageSize()) {
            throw new IllegalArgumentException(name + " needs images of at least " + info.minImageSize() + " px, got " + imageSize);
        }
        return switch (name) {
            case SmallCnn.NAME -> SmallCnn.build(channels, classes, imageSize, revision);
            case SeedVgg.NAME -> SeedVgg.build(classes);
            case Vgg16Bn.NAME -> Vgg16Bn.build(classes);
            case CifarResNet.NAME -> CifarResNet.build(classes);
            case TorchvisionResNet.RESNET18 -> TorchvisionResNet.resnet18(classes, imageSize);
            case TorchvisionResNet.RESNET50 -> TorchvisionResNet.resnet50(classes, imageSize);
            default -> throw new IllegalStateException("registered but not built: " + name);
        };
    }
}
