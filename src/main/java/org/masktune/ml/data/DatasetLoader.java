package org.masktune.ml.data;

import java.nio.file.Path;
import java.util.List;

/** Loads the dataset a {@link DatasetSpec} describes, dispatching to the format's reader. */
public final class DatasetLoader {

    private DatasetLoader() {
    }

    /** Resolves {@code spec.path()} inside {@code dataRoots} (see {@link ConfinedPaths}) and loads it. */
    public static LoadedDataset load(DatasetSpec spec, List<Path> dataRoots) {
        Path root = spec.format() == DatasetFormat.BUILTIN ? null : ConfinedPaths.resolve(dataRoots, spec.path());
        return load(spec, root);
    }

    /**
     * Loads {@code spec} from {@code resolvedRoot}, the already confined dataset folder (ignored, may
     * be null, for built-ins). CelebA and Waterbirds take the subset before decoding; the other
     * formats are read whole, then subset per split with the spec's seed. IDX and CIFAR-10 are
     * resized afterwards when {@code imageSize} differs from their native size (the other readers
     * resize while decoding, Biased MNIST before drawing its square). IDX with {@code biasedMnist}
     * is Biased MNIST over those digits, made exactly as the built-in biased-mnist is made from
     * mnist-10k (squares chosen on the whole split, then the subset).
     */
    public static LoadedDataset load(DatasetSpec spec, Path resolvedRoot) {
        if (spec.format() != DatasetFormat.BUILTIN && resolvedRoot == null) {
            throw new IllegalArgumentException("format " + spec.format() + " needs the resolved dataset folder");
        }
        if (spec.format() != DatasetFormat.BUILTIN) {
            ConfinedPaths.checkLinksInside(resolvedRoot);
        }
        LoadedDataset loaded = switch (spec.format()) {
            case BUILTIN -> BuiltInDatasets.load(spec.name(), new BuiltInOptions(spec.biasedMnist(), spec.imageSize()));
            case IDX -> spec.biasedMnist() == null ? IdxReader.readFolder(resolvedRoot) : biasedMnist(spec, resolvedRoot);
            case CIFAR10 -> Cifar10Reader.readFolder(resolvedRoot);
            case IMAGE_FOLDER -> ImageFolderReader.read(resolvedRoot, spec.imageSize());
            case CELEBA -> CelebAReader.read(resolvedRoot, new CelebAOptions(spec.targetAttribute(), spec.spuriousAttribute(),
                    spec.imageSize(), spec.attributes(), spec.subsetSize(), spec.seed()));
            case WATERBIRDS -> WaterbirdsReader.read(resolvedRoot, new WaterbirdsOptions(spec.imageSize(), spec.subsetSize(), spec.seed()));
        };
        boolean subsetDone = spec.format() == DatasetFormat.CELEBA || spec.format() == DatasetFormat.WATERBIRDS;
        if (spec.subsetSize() != null && !subsetDone) {
            loaded = loaded.mapSplits(set -> Splits.subset(set, spec.subsetSize(), spec.seed()));
        }
        boolean resizeDone = subsetDone || spec.format() == DatasetFormat.BUILTIN || spec.format() == DatasetFormat.IMAGE_FOLDER
                || spec.biasedMnist() != null;
        if (spec.imageSize() != null && !resizeDone) {
            int size = spec.imageSize();
            loaded = loaded.mapSplits(set -> ImageResizer.resize(set, size, size));
        }
        return loaded;
    }

    private static LoadedDataset biasedMnist(DatasetSpec spec, Path resolvedRoot) {
        LoadedDataset digits = IdxReader.readTrainAndTest(resolvedRoot,
                "biasedMnist builds train from the train-* digits and test-conflicting and test-original from the t10k-* digits");
        return new BiasedMnist(spec.biasedMnist()).build(digits.name(), digits, spec.imageSize());
    }
}
