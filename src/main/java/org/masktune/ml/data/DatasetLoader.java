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
     * resize while decoding, biased-mnist before drawing its square).
     */
    public static LoadedDataset load(DatasetSpec spec, Path resolvedRoot) {
        if (spec.format() != DatasetFormat.BUILTIN && resolvedRoot == null) {
            throw new IllegalArgumentException("format " + spec.format() + " needs the resolved dataset folder");
        }
        LoadedDataset loaded = switch (spec.format()) {
            case BUILTIN -> BuiltInDatasets.load(spec.name(), new BuiltInOptions(spec.biasedMnist(), spec.imageSize()));
            case IDX -> IdxReader.readFolder(resolvedRoot);
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
        boolean resizeDone = subsetDone || spec.format() == DatasetFormat.BUILTIN || spec.format() == DatasetFormat.IMAGE_FOLDER;
        if (spec.imageSize() != null && !resizeDone) {
            int size = spec.imageSize();
            loaded = loaded.mapSplits(set -> ImageResizer.resize(set, size, size));
        }
        return loaded;
    }
}
