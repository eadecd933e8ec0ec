package org.masktune.ml.data;

import java.util.List;

/** Some images of a source, in a given order: reads go to the source, annotations are copied once. */
final class SelectedImages implements ImageSource {

    private final ImageSource base;
    private final int[] indices;
    private final int[] labels;
    private final int[] groups;
    private final byte[] attributes;

    SelectedImages(ImageSource base, int[] indices) {
        if (base instanceof SelectedImages s) {
            int[] composed = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                composed[k] = s.indices[indices[k]];
            }
            base = s.base;
            indices = composed;
        } else {
            indices = indices.clone();
        }
        this.base = base;
        this.indices = indices;
        int[] baseLabels = base.labels();
        int[] baseGroups = base.groups();
        byte[] baseAttributes = base.attributes();
        int a = base.attributeNames().size();
        labels = new int[indices.length];
        groups = baseGroups == null ? null : new int[indices.length];
        attributes = baseAttributes == null ? null : new byte[indices.length * a];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= baseLabels.length) {
                throw new IndexOutOfBoundsException("image " + i + " of a set of " + baseLabels.length);
            }
            labels[k] = baseLabels[i];
            if (groups != null) {
                groups[k] = baseGroups[i];
            }
            if (attributes != null) {
                System.arraycopy(baseAttributes, i * a, attributes, k * a, a);
            }
        }
    }

    @Override
    public int channels() {
        return base.channels();
    }

    @Override
    public int height() {
        return base.height();
    }

    @Override
    public int width() {
        return base.width();
    }

    @Override
    public int[] labels() {
        return labels;
    }

    @Override
    public int[] groups() {
        return groups;
    }

    @Override
    public List<String> classes() {
        return base.classes();
    }

    @Override
    public List<String> groupNames() {
        return base.groupNames();
    }

    @Override
    public byte[] attributes() {
        return attributes;
    }

    @Override
    public List<String> attributeNames() {
        return base.attributeNames();
    }

    @Override
    public void read(int image, byte[] into, int offset) {
        base.read(indices[image], into, offset);
    }

    @Override
    public String toString() {
        return "SelectedImages[" + indices.length + " of " + base + "]";
    }
}
