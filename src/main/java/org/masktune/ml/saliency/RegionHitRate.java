package org.masktune.ml.saliency;

import org.masktune.ml.data.ImageSet;

/**
 * Measures whether masking hit a known region, e.g. Biased MNIST's 4×4 red square at the top-left corner.
 */
public final class RegionHitRate {

    private RegionHitRate() {
    }

    /**
     * The fraction of the images at {@code indices} whose region [x, x+w) × [y, y+h) has at least half of
     * its pixel positions masked. A position counts as masked when any channel differs between
     * {@code original} and {@code masked} (zeroed or attenuated); a pixel that was already 0 therefore
     * cannot count. Returns NaN for an empty index list.
     */
    public static double fractionAtLeastHalfMasked(ImageSet original, ImageSet masked, int[] indices,
                                                   int x, int y, int w, int h) {
        if (original.size() != masked.size() || original.imageBytes() != masked.imageBytes()) {
            throw new IllegalArgumentException("original and masked sets differ in shape: " + original + " vs " + masked);
        }
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > original.width() || y + h > original.height()) {
            throw new IllegalArgumentException("region " + w + "x" + h + "+" + x + "+" + y + " is outside the "
                    + original.width() + "x" + original.height() + " image");
        }
        if (indices.length == 0) {
            return Double.NaN;
        }
        int hits = 0;
        for (int i : indices) {
            int changed = 0;
            for (int yy = y; yy < y + h; yy++) {
                for (int xx = x; xx < x + w; xx++) {
                    if (changed(original, masked, i, yy, xx)) {
                        changed++;
                    }
                }
            }
            if (2 * changed >= w * h) {
                hits++;
            }
        }
        return (double) hits / indices.length;
    }

    private static boolean changed(ImageSet original, ImageSet masked, int i, int y, int x) {
        for (int c = 0; c < original.channels(); c++) {
            if (original.pixel(i, c, y, x) != masked.pixel(i, c, y, x)) {
                return true;
            }
        }
        return false;
    }
}
