package org.masktune.ml.saliency;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.masktune.ml.data.ImageSource;

/**
 * A set's original images with masks applied on the fly: {@link #read} reads image i from the originals
 * (e.g. the memory-mapped cache) and applies each layer's mask of image i in turn. Nothing of the
 * pixels is copied, so a masked training set costs its masks' bits, not a second copy of the images.
 *
 * <p>Every layer's result depends on the image index alone (NOISE is seeded by (seed, index)), so the
 * same image reads the same whatever thread, batch or order asks for it. Several layers are
 * accumulative masking: layer k was computed on the images with layers 1..k-1 applied and is applied
 * after them, so the pixels are those of masking the masked copy again. Consecutive zeroing layers are
 * kept as one layer of the union (OR) of their masks, which gives the same pixels.
 */
public final class MaskedImages implements ImageSource {

    private final ImageSource originals;
    private final List<MaskLayer> layers;

    private MaskedImages(ImageSource originals, List<MaskLayer> layers) {
        this.originals = Objects.requireNonNull(originals, "originals");
        this.layers = List.copyOf(layers);
        for (MaskLayer layer : this.layers) {
            PackedMasks m = layer.masks();
            if (m.size() != originals.size() || m.height() != originals.height() || m.width() != originals.width()) {
                throw new IllegalArgumentException(m + " do not fit " + originals.size() + " images of "
                        + originals.height() + "x" + originals.width());
            }
        }
    }

    /** {@code originals} with {@code layers} applied in order. */
    public static MaskedImages of(ImageSource originals, List<MaskLayer> layers) {
        return new MaskedImages(originals, layers);
    }

    /**
     * {@code layer}, computed on {@code set}, applied to {@code set}: when {@code set} is itself masked, its
     * originals with its layers and then this one (a zeroing layer after a zeroing layer becomes their union,
     * written to {@code unionFile}, or kept on the heap when that is null).
     */
    public static MaskedImages after(ImageSource set, MaskLayer layer, Path unionFile) {
        if (!(set instanceof MaskedImages masked)) {
            return new MaskedImages(set, List.of(layer));
        }
        List<MaskLayer> stacked = new ArrayList<>(masked.layers);
        MaskLayer previous = stacked.isEmpty() ? null : stacked.get(stacked.size() - 1);
        if (previous != null && previous.zeroes() && layer.zeroes()) {
            stacked.set(stacked.size() - 1, layer.withMasks(previous.masks().or(layer.masks(), unionFile)));
        } else {
            stacked.add(layer);
        }
        return new MaskedImages(masked.originals, stacked);
    }

    public ImageSource originals() {
        return originals;
    }

    public List<MaskLayer> layers() {
        return layers;
    }

    @Override
    public void read(int image, byte[] into, int offset) {
        originals.read(image, into, offset);
        for (MaskLayer layer : layers) {
            PackedMasks masks = layer.masks();
            if (masks.count(image) > 0) {
                layer.apply(into, offset, channels(), height(), width(), masks.get(image), image);
            }
        }
    }

    @Override
    public int channels() {
        return originals.channels();
    }

    @Override
    public int height() {
        return originals.height();
    }

    @Override
    public int width() {
        return originals.width();
    }

    @Override
    public int[] labels() {
        return originals.labels();
    }

    @Override
    public int[] groups() {
        return originals.groups();
    }

    @Override
    public List<String> classes() {
        return originals.classes();
    }

    @Override
    public List<String> groupNames() {
        return originals.groupNames();
    }

    @Override
    public byte[] attributes() {
        return originals.attributes();
    }

    @Override
    public List<String> attributeNames() {
        return originals.attributeNames();
    }

    @Override
    public String toString() {
        return "MaskedImages[" + layers.size() + " layer(s) over " + originals + "]";
    }
}
