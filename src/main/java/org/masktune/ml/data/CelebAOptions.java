package org.masktune.ml.data;

import java.util.List;

/**
 * How to read CelebA.
 *
 * @param targetAttribute   the class label: 1 where this attribute is 1 (default Blond_Hair)
 * @param spuriousAttribute the attribute that defines groups, 2·spurious + label (default Male)
 * @param imageSize         side of the square images (default 64): each image is centre-cropped to a
 *                          square, then resized
 * @param attributes        multi-label mode: these attributes become {@link ImageSet#attributes()}
 *                          (0/1); empty for single-label
 * @param subsetSize        at most this many images per split, chosen at random (seed) before any
 *                          image is decoded; null for all
 * @param seed              seed of the subset choice
 */
public record CelebAOptions(String targetAttribute, String spuriousAttribute, int imageSize, List<String> attributes,
                            Integer subsetSize, long seed) {

    public static final String DEFAULT_TARGET = "Blond_Hair";
    public static final String DEFAULT_SPURIOUS = "Male";
    public static final int DEFAULT_IMAGE_SIZE = 64;

    public CelebAOptions {
        targetAttribute = targetAttribute == null ? DEFAULT_TARGET : targetAttribute;
        spuriousAttribute = spuriousAttribute == null ? DEFAULT_SPURIOUS : spuriousAttribute;
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        if (targetAttribute.equals(spuriousAttribute)) {
            throw new IllegalArgumentException("targetAttribute and spuriousAttribute must differ, both are " + targetAttribute);
        }
        if (imageSize <= 0) {
            throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
        }
        if (subsetSize != null && subsetSize <= 0) {
            throw new IllegalArgumentException("subsetSize must be positive, got " + subsetSize);
        }
        if (attributes.stream().distinct().count() != attributes.size()) {
            throw new IllegalArgumentException("attributes lists a name twice: " + attributes);
        }
    }

    /** Blond_Hair vs Male, 64 px, all images, single-label. */
    public static CelebAOptions defaults() {
        return new CelebAOptions(DEFAULT_TARGET, DEFAULT_SPURIOUS, DEFAULT_IMAGE_SIZE, List.of(), null, 0L);
    }
}
