package org.masktune.ml.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The in-memory {@link ImageSource}: a labelled image set held as raw uint8 pixels in NCHW order, exactly as read from disk
 * (no normalisation). Masking works on these raw pixels; normalisation happens when batches are made.
 *
 * @param channels   1 (grey) or 3 (RGB)
 * @param height     image height in pixels
 * @param width      image width in pixels
 * @param pixels     {@code size * channels * height * width} unsigned bytes (read with {@code & 0xFF})
 * @param labels     class index per image, in {@code [0, classes.size())}
 * @param groups     group index per image (e.g. 2·spurious + label, or bias-aligned/conflicting), or
 *                   {@code null} when the set has no group annotation
 * @param classes    class names, index = label
 * @param groupNames group names, index = group; empty when {@code groups} is null
 * @param attributes optional multi-label targets: {@code size * attributeNames.size()} bytes of 0/1, or null
 * @param attributeNames names of the multi-label attributes; empty when {@code attributes} is null
 */
public record ImageSet(
        int channels,
        int height,
        int width,
        byte[] pixels,
        int[] labels,
        int[] groups,
        List<String> classes,
        List<String> groupNames,
        byte[] attributes,
        List<String> attributeNames) implements ImageSource {

    public ImageSet {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        classes = List.copyOf(classes);
        groupNames = groupNames == null ? List.of() : List.copyOf(groupNames);
        attributeNames = attributeNames == null ? List.of() : List.copyOf(attributeNames);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, expected "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        if (groups != null && groups.length != labels.length) {
            throw new IllegalArgumentException("groups has " + groups.length + " entries for " + labels.length + " images");
        }
        if (attributes != null && attributes.length != labels.length * attributeNames.size()) {
            throw new IllegalArgumentException("attributes has " + attributes.length + " entries, expected "
                    + labels.length + " x " + attributeNames.size());
        }
    }

    /** A single-label set without groups or attributes. */
    public static ImageSet of(int channels, int height, int width, byte[] pixels, int[] labels, List<String> classes) {
        return new ImageSet(channels, height, width, pixels, labels, null, classes, List.of(), null, List.of());
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int imageBytes() {
        return channels * height * width;
    }

    @Override
    public boolean hasGroups() {
        return groups != null;
    }

    @Override
    public boolean isMultiLabel() {
        return attributes != null;
    }

    @Override
    public void read(int image, byte[] into, int offset) {
        int n = imageBytes();
        System.arraycopy(pixels, image * n, into, offset, n);
    }

    /** This set itself: it already holds its pixels in one array. */
    @Override
    public ImageSet toImageSet() {
        return this;
    }

    /** Pixel value (0–255) of image {@code i}, channel {@code c}, row {@code y}, column {@code x}. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xFF;
    }

    /** A new set with the images at {@code indices}, in that order (copies the data). */
    @Override
    public ImageSet select(int[] indices) {
        int n = imageBytes();
        byte[] px = new byte[indices.length * n];
        int[] lb = new int[indices.length];
        int[] gr = groups == null ? null : new int[indices.length];
        int a = attributeNames.size();
        byte[] at = attributes == null ? null : new byte[indices.length * a];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            System.arraycopy(pixels, i * n, px, k * n, n);
            lb[k] = labels[i];
            if (gr != null) {
                gr[k] = groups[i];
            }
            if (at != null) {
                System.arraycopy(attributes, i * a, at, k * a, a);
            }
        }
        return new ImageSet(channels, height, width, px, lb, gr, classes, groupNames, at, attributeNames);
    }

    /** The same labels and annotations with other pixels of the same shape (e.g. a masked copy). */
    public ImageSet withPixels(byte[] newPixels) {
        return new ImageSet(channels, height, width, newPixels, labels, groups, classes, groupNames, attributes, attributeNames);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet s && channels == s.channels && height == s.height && width == s.width
                && Arrays.equals(pixels, s.pixels) && Arrays.equals(labels, s.labels) && Arrays.equals(groups, s.groups)
                && classes.equals(s.classes) && groupNames.equals(s.groupNames)
                && Arrays.equals(attributes, s.attributes) && attributeNames.equals(s.attributeNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, height, width, Arrays.hashCode(pixels), Arrays.hashCode(labels), classes);
    }

    @Override
    public String toString() {
        return "ImageSet[" + size() + " x " + channels + "x" + height + "x" + width + ", classes=" + classes
                + (hasGroups() ? ", groups=" + groupNames : "") + "]";
    }
}
