package org.masktune.ml.saliency;

import java.util.List;
import org.masktune.ml.data.ImageSet;

/**
 * The outcome of masking a set.
 *
 * @param masked          the masked copy (labels, groups and attributes unchanged)
 * @param maskedFraction  per image, the fraction of pixel positions masked (zeroed or attenuated)
 * @param stats           mean and percentiles of {@code maskedFraction}
 * @param imagesPerSecond throughput of the whole pass (saliency + masking)
 * @param previewMaps     saliency maps of the first {@code previewMaps.size()} images ({@code mapHeight × mapWidth}
 *                        each, row-major); empty for RANDOM, which has no map
 */
public record MaskingResult(
        ImageSet masked,
        float[] maskedFraction,
        MaskedFractionStats stats,
        double imagesPerSecond,
        List<float[]> previewMaps,
        int mapHeight,
        int mapWidth) {

    public MaskingResult {
        previewMaps = List.copyOf(previewMaps);
    }
}
