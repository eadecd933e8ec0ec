package org.masktune.ml.saliency;

import java.util.Objects;

/**
 * One masking round's masks and what they do to the masked pixels: a {@link MaskFill} (xGradCAM, and
 * RANDOM's zero-filled holes) or the seed's soft attenuation (SEED_ATTENTION). Applying it to the
 * images the round was computed on gives exactly the pixels the round's masked copy used to hold.
 *
 * @param masks       the round's masks, one per image of the set
 * @param effect      fill or attenuate
 * @param fill        FILL: what masked pixels become
 * @param fills       FILL: the statistics and NOISE seed the fill uses (measured on the images the round masked)
 * @param attenuation ATTENUATE: the factor masked pixels are multiplied by
 */
public record MaskLayer(PackedMasks masks, Effect effect, MaskFill fill, MaskFills fills, double attenuation) {

    /** What a layer does to its masked pixels. */
    public enum Effect { FILL, ATTENUATE }

    public MaskLayer {
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(effect, "effect");
        if (effect == Effect.FILL) {
            Objects.requireNonNull(fill, "fill");
            Objects.requireNonNull(fills, "fills");
        } else if (!(attenuation >= 0 && attenuation <= 1)) {
            throw new IllegalArgumentException("attenuation must be in [0, 1], got " + attenuation);
        }
    }

    public static MaskLayer filled(PackedMasks masks, MaskFill fill, MaskFills fills) {
        return new MaskLayer(masks, Effect.FILL, fill, fills, Double.NaN);
    }

    public static MaskLayer attenuated(PackedMasks masks, double factor) {
        return new MaskLayer(masks, Effect.ATTENUATE, null, null, factor);
    }

    /** Whether masked pixels become 0 whatever they were: then two such layers are one layer of the union of their masks. */
    public boolean zeroes() {
        return effect == Effect.FILL && fill == MaskFill.ZERO;
    }

    /** Applies {@code mask} (image {@code image}'s, unpacked) to that image's pixels at {@code offset}, in place. */
    public void apply(byte[] pixels, int offset, int channels, int height, int width, boolean[] mask, int image) {
        if (effect == Effect.FILL) {
            fills.apply(fill, pixels, offset, channels, height, width, mask, image);
        } else {
            PixelMasks.attenuate(pixels, offset, channels, height, width, mask, attenuation);
        }
    }

    /** This layer with other masks of the same images (e.g. the union with an earlier zeroing layer's). */
    public MaskLayer withMasks(PackedMasks newMasks) {
        return new MaskLayer(newMasks, effect, fill, fills, attenuation);
    }

    /** In words, for results and artifact metadata. */
    public String describe() {
        return effect == Effect.FILL ? "fill " + fill : "attenuate x" + attenuation;
    }
}
