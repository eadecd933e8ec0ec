package org.masktune.ml.saliency;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import org.masktune.ml.data.SpuriousRegions;

/**
 * What a masking pass did to a shortcut whose pixels are known (e.g. Biased MNIST's square), over the training
 * images that carry it. Every pixel count is of mask membership, not of changed values, so a masked pixel that
 * was already black still counts as masked.
 *
 * @param images                  training images that carry the shortcut
 * @param regionMaskedFraction    per image, the fraction of the shortcut's pixels inside the mask
 * @param imagesWithResidualPixels fraction of those images that keep at least one unmasked shortcut pixel
 * @param meanResidualPixels      mean number of unmasked shortcut pixels per image
 * @param saliencyMassInRegion    mean share of the saliency map's total mass that lies on the shortcut
 * @param regionPredictivenessBefore balanced accuracy of predicting the label from the mean colour of the
 *                                shortcut's place (every image, nearest class centroid fitted on one half of the
 *                                images, scored on the other) before masking: how strong the shortcut is
 * @param regionPredictivenessAfter the same on the masked images: 0.5 for two balanced classes means the place no
 *                                longer tells the label; well above it means a residual or new cue
 *                                (e.g. a black hole where only one class had the shortcut)
 */
@Schema(description = "How much of a known shortcut the masks removed, and whether the masked place still tells the label")
public record ShortcutDiagnostics(
        int images,
        MaskedFractionStats regionMaskedFraction,
        double imagesWithResidualPixels,
        double meanResidualPixels,
        double saliencyMassInRegion,
        double regionPredictivenessBefore,
        double regionPredictivenessAfter) {

    /** Collects per-image numbers during a masking pass; images may arrive in any order. */
    public static final class Accumulator {

        private final SpuriousRegions regions;
        private final int[] labels;
        private final int channels;
        private final int plane;
        private final float[][] colourBefore;
        private final float[][] colourAfter;
        private final List<Float> maskedFractions = new ArrayList<>();
        private int carrying;
        private int withResidual;
        private long residualPixels;
        private double saliencyMass;

        public Accumulator(SpuriousRegions regions, int[] labels, int channels, int height, int width) {
            this.regions = regions;
            this.labels = labels.clone();
            this.channels = channels;
            this.plane = height * width;
            this.colourBefore = new float[labels.length][];
            this.colourAfter = new float[labels.length][];
        }

        /**
         * @param before the image's pixels before masking (at {@code offset}), {@code after} after
         * @param map    its saliency map at the image size, or null (RANDOM masks)
         */
        public void add(int i, boolean[] mask, float[] map, byte[] before, byte[] after, int offset) {
            boolean[] region = regions.pixels(i);
            colourBefore[i] = meanColour(before, offset, region);
            colourAfter[i] = meanColour(after, offset, region);
            if (!regions.carries(i)) {
                return;
            }
            int size = BinaryMasks.count(region);
            if (size == 0) {
                return;
            }
            int covered = BinaryMasks.countBoth(region, mask);
            carrying++;
            maskedFractions.add((float) covered / size);
            if (covered < size) {
                withResidual++;
                residualPixels += size - covered;
            }
            if (map != null) {
                double inside = 0;
                double total = 0;
                for (int p = 0; p < plane; p++) {
                    total += map[p];
                    if (region[p]) {
                        inside += map[p];
                    }
                }
                saliencyMass += total > 0 ? inside / total : 0;
            }
        }

        private float[] meanColour(byte[] pixels, int offset, boolean[] region) {
            float[] colour = new float[channels];
            int n = 0;
            for (int p = 0; p < plane; p++) {
                if (region[p]) {
                    n++;
                    for (int c = 0; c < channels; c++) {
                        colour[c] += pixels[offset + c * plane + p] & 0xFF;
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                colour[c] = n == 0 ? 0 : colour[c] / n;
            }
            return colour;
        }

        public ShortcutDiagnostics finish() {
            float[] fractions = new float[maskedFractions.size()];
            for (int k = 0; k < fractions.length; k++) {
                fractions[k] = maskedFractions.get(k);
            }
            double n = Math.max(1, carrying);
            return new ShortcutDiagnostics(carrying, MaskedFractionStats.of(fractions),
                    carrying == 0 ? Double.NaN : withResidual / n, carrying == 0 ? Double.NaN : residualPixels / n,
                    carrying == 0 ? Double.NaN : saliencyMass / n,
                    NearestCentroid.balancedAccuracy(colourBefore, labels), NearestCentroid.balancedAccuracy(colourAfter, labels));
        }
    }
}
