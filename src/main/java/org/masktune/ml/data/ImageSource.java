package org.masktune.ml.data;

import java.util.List;

/**
 * Labelled uint8 NCHW images, read one at a time: what the training loop, prediction and
 * evaluation consume. The annotations (labels, groups, attributes, names) are small and live on the
 * heap; the pixels may be in a Java array ({@link ImageSet}) or in a memory-mapped cache file
 * ({@link CachedImages}), so a set may be far larger than the heap.
 *
 * <p>Implementations are safe for concurrent {@link #read} calls from several loader threads.
 */
public interface ImageSource {

    int channels();

    int height();

    int width();

    /** Class index per image (do not modify). */
    int[] labels();

    /** Group index per image, or null without group annotation (do not modify). */
    int[] groups();

    List<String> classes();

    List<String> groupNames();

    /** {@code size * attributeNames.size()} bytes of 0/1, or null for single-label sets (do not modify). */
    byte[] attributes();

    List<String> attributeNames();

    /** Copies the {@link #imageBytes()} raw bytes of image {@code image} into {@code into} at {@code offset}. */
    void read(int image, byte[] into, int offset);

    default int size() {
        return labels().length;
    }

    default int imageBytes() {
        return channels() * height() * width();
    }

    default boolean hasGroups() {
        return groups() != null;
    }

    default boolean isMultiLabel() {
        return attributes() != null;
    }

    /** The images at {@code indices}, in that order; a view over these pixels, nothing is copied. */
    default ImageSource select(int[] indices) {
        return new SelectedImages(this, indices);
    }

    /**
     * All pixels in one Java array, for code that needs an {@link ImageSet} (e.g. masking). Fails
     * with advice when the set does not fit one array.
     */
    default ImageSet toImageSet() {
        int n = imageBytes();
        byte[] pixels = new byte[DataFiles.pixelArraySize(size(), n)];
        for (int i = 0; i < size(); i++) {
            read(i, pixels, i * n);
        }
        return new ImageSet(channels(), height(), width(), pixels, labels(), groups(), classes(), groupNames(), attributes(),
                attributeNames());
    }
}
