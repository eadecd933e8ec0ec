package org.masktune.ml.data;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Datasets shipped inside the application, so it trains with no download:
 * <ul>
 *   <li>"mnist-10k": 10,000 real MNIST digits (classpath {@code datasets/mnist-10k/}, see its
 *       NOTICE.md), splits "train" (8,000) and "test" (2,000), 1×28×28, classes "0".."9";</li>
 *   <li>"biased-mnist": {@link BiasedMnist} over mnist-10k, splits "train", "test-conflicting",
 *       "test-original" and "test" (= test-conflicting), 3×28×28.</li>
 * </ul>
 */
public final class BuiltInDatasets {

    public static final String MNIST_10K = "mnist-10k";
    public static final String BIASED_MNIST = "biased-mnist";
    private static final String RESOURCE_DIR = "/datasets/mnist-10k/";

    private BuiltInDatasets() {
    }

    public static List<String> names() {
        return List.of(MNIST_10K, BIASED_MNIST);
    }

    public static LoadedDataset load(String name) {
        return load(name, BuiltInOptions.defaults());
    }

    public static LoadedDataset load(String name, BuiltInOptions options) {
        BuiltInOptions opts = options == null ? BuiltInOptions.defaults() : options;
        if (MNIST_10K.equals(name)) {
            return mnist10k(opts.imageSize());
        }
        if (BIASED_MNIST.equals(name)) {
            return new BiasedMnist(opts.biasedMnist()).build(BIASED_MNIST, mnist10k(null), opts.imageSize());
        }
        throw new IllegalArgumentException("unknown built-in dataset '" + name + "'; available: " + String.join(", ", names()));
    }

    private static LoadedDataset mnist10k(Integer imageSize) {
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        splits.put("train", readIdx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"));
        splits.put("test", readIdx("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"));
        LoadedDataset ds = new LoadedDataset(MNIST_10K, splits);
        return imageSize == null ? ds : ds.mapSplits(set -> ImageResizer.resize(set, imageSize, imageSize));
    }

    private static ImageSet readIdx(String images, String labels) {
        try (InputStream in = resource(images); InputStream lb = resource(labels)) {
            return IdxReader.read(in, images, lb, labels);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = BuiltInDatasets.class.getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new DatasetFormatException(file, "built-in resource " + RESOURCE_DIR + file + " is missing from the classpath");
        }
        return in;
    }
}
