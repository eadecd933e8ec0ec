package org.masktune.ml.data;

/** The on-disk formats (and the built-ins) a {@link DatasetSpec} can name. */
public enum DatasetFormat {
    /** Shipped with the service: see {@link BuiltInDatasets#names()}. */
    BUILTIN,
    /** MNIST / Fashion-MNIST IDX files, raw or gzip. */
    IDX,
    /** CIFAR-10 binary batches. */
    CIFAR10,
    /** {@code root/<class>/*.png|jpg}, optionally under {@code train/ val/ test/}. */
    IMAGE_FOLDER,
    /** CelebA with attribute and partition lists. */
    CELEBA,
    /** Waterbirds with metadata.csv. */
    WATERBIRDS
}
