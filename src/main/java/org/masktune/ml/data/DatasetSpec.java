package org.masktune.ml.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The typed description of a dataset, as jobs and the registry store it. The compact constructor
 * fills in the defaults that apply to the format (so a stored spec states every value that was
 * used) and rejects options that do not apply to it.
 *
 * @param format            where the data comes from
 * @param name              built-in dataset name; only for {@link DatasetFormat#BUILTIN}
 * @param path              folder relative to a configured data root; for every other format
 * @param imageSize         square side to resize images to; default 64 for CelebA and Waterbirds,
 *                          otherwise null = keep the native size
 * @param targetAttribute   CelebA label attribute (default Blond_Hair)
 * @param spuriousAttribute CelebA group attribute (default Male)
 * @param attributes        CelebA multi-label attributes (default none)
 * @param biasedMnist       Biased MNIST options: for the built-in biased-mnist (defaults filled in),
 *                          or for format IDX, where they turn the digit files into Biased MNIST
 *                          (null there = the plain digits); null for every other dataset
 * @param subsetSize        at most this many images per split (random, seeded); null = all
 * @param seed              seed for subsets (default 0); Biased MNIST's squares use {@code biasedMnist.seed}
 */
@Schema(description = "A dataset: a built-in by name, or a folder under a data root in one of the supported formats.")
public record DatasetSpec(
        @Schema(description = "Dataset format", example = "BUILTIN", requiredMode = Schema.RequiredMode.REQUIRED)
        DatasetFormat format,
        @Schema(description = "Built-in dataset name (format BUILTIN only)", example = "biased-mnist", allowableValues = {"mnist-10k", "biased-mnist"})
        @jakarta.validation.constraints.Size(max = 100) String name,
        @Schema(description = "Folder relative to a configured data root (all formats but BUILTIN)", example = "celeba")
        @jakarta.validation.constraints.Size(max = 1000) String path,
        @Schema(description = "Resize images to this square side; default 64 for CELEBA and WATERBIRDS, else the native size", example = "64", minimum = "1", maximum = "1024")
        Integer imageSize,
        @Schema(description = "CelebA target attribute (label = attribute is 1)", example = "Blond_Hair")
        String targetAttribute,
        @Schema(description = "CelebA spurious attribute (group = 2*spurious + label)", example = "Male")
        String spuriousAttribute,
        @Schema(description = "CelebA multi-label attributes", example = "[\"Smiling\", \"Eyeglasses\"]")
        @jakarta.validation.constraints.Size(max = 40) List<@jakarta.validation.constraints.NotNull @jakarta.validation.constraints.Size(max = 200) String> attributes,
        @Schema(description = "Biased MNIST options: for the built-in biased-mnist, or for format IDX to build Biased MNIST from"
                + " MNIST digit files (splits train, test-conflicting, test-original, test); not allowed for other datasets")
        BiasedMnistOptions biasedMnist,
        @Schema(description = "At most this many images per split, chosen at random with the seed", example = "2000", minimum = "1")
        Integer subsetSize,
        @Schema(description = "Seed for subsets (Biased MNIST's squares use biasedMnist.seed)", example = "0")
        Long seed) {

    public static final int MAX_IMAGE_SIZE = 1024;

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public DatasetSpec {
        if (format == null) {
            throw new IllegalArgumentException("format is required, one of " + List.of(DatasetFormat.values()));
        }
        if (format == DatasetFormat.BUILTIN) {
            if (name == null || !BuiltInDatasets.names().contains(name)) {
                throw new IllegalArgumentException("format BUILTIN needs name, one of " + BuiltInDatasets.names() + "; got " + name);
            }
            if (path != null) {
                throw new IllegalArgumentException("path is not used for format BUILTIN; give only name");
            }
        } else {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("format " + format + " needs path, a folder relative to a data root");
            }
            if (name != null) {
                throw new IllegalArgumentException("name is only for format BUILTIN; format " + format + " is read from path");
            }
        }
        boolean celeba = format == DatasetFormat.CELEBA;
        if (!celeba && (targetAttribute != null || spuriousAttribute != null || (attributes != null && !attributes.isEmpty()))) {
            throw new IllegalArgumentException("targetAttribute, spuriousAttribute and attributes apply only to format CELEBA, not " + format);
        }
        if (celeba) {
            targetAttribute = targetAttribute == null ? CelebAOptions.DEFAULT_TARGET : targetAttribute;
            spuriousAttribute = spuriousAttribute == null ? CelebAOptions.DEFAULT_SPURIOUS : spuriousAttribute;
            if (targetAttribute.isBlank() || spuriousAttribute.isBlank()) {
                throw new IllegalArgumentException("targetAttribute and spuriousAttribute must not be blank");
            }
            if (targetAttribute.equals(spuriousAttribute)) {
                throw new IllegalArgumentException("targetAttribute and spuriousAttribute must differ, both are " + targetAttribute);
            }
        }
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        if (attributes.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new IllegalArgumentException("attributes must not contain blank names: " + attributes);
        }
        if (format == DatasetFormat.BUILTIN && BuiltInDatasets.BIASED_MNIST.equals(name)) {
            biasedMnist = biasedMnist == null ? BiasedMnistOptions.defaults() : biasedMnist;
        } else if (biasedMnist != null && format != DatasetFormat.IDX) {
            throw new IllegalArgumentException("biasedMnist applies only to the built-in biased-mnist and to format IDX (MNIST digit files), not "
                    + (format == DatasetFormat.BUILTIN ? "the built-in " + name : "format " + format));
        }
        if (imageSize == null && (celeba || format == DatasetFormat.WATERBIRDS)) {
            imageSize = CelebAOptions.DEFAULT_IMAGE_SIZE;
        }
        if (imageSize != null && (imageSize < 1 || imageSize > MAX_IMAGE_SIZE)) {
            throw new IllegalArgumentException("imageSize must be 1.." + MAX_IMAGE_SIZE + ", got " + imageSize);
        }
        if (subsetSize != null && subsetSize < 1) {
            throw new IllegalArgumentException("subsetSize must be at least 1, got " + subsetSize);
        }
        seed = seed == null ? 0L : seed;
    }

    /** For JSON: a bare string names a built-in dataset with its default options, e.g. {@code "biased-mnist"}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static DatasetSpec fromName(String name) {
        return builtIn(name);
    }

    /** A built-in dataset with default options. */
    public static DatasetSpec builtIn(String name) {
        return new DatasetSpec(DatasetFormat.BUILTIN, name, null, null, null, null, null, null, null, null);
    }

    /** A folder dataset with default options. */
    public static DatasetSpec folder(DatasetFormat format, String path) {
        return new DatasetSpec(format, null, path, null, null, null, null, null, null, null);
    }

    public DatasetSpec withImageSize(Integer size) {
        return new DatasetSpec(format, name, path, size, targetAttribute, spuriousAttribute, attributes, biasedMnist, subsetSize, seed);
    }

    public DatasetSpec withSubsetSize(Integer size) {
        return new DatasetSpec(format, name, path, imageSize, targetAttribute, spuriousAttribute, attributes, biasedMnist, size, seed);
    }
}
