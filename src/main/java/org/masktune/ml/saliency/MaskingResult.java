package org.masktune.ml.saliency;

import java.util.List;

/**
 * The outcome of masking a set.
 *
 * @param masked          the masked images: the originals with the masks applied on the fly (labels, groups and
 *                        attributes unchanged; for accumulative masking, every round's masks in order)
 * @param layer           this round's masks and what they do to a pixel
 * @param maskedFraction  per image, the fraction of pixel positions masked (zeroed or attenuated)
 * @param stats           mean and percentiles of {@code maskedFraction}
 * @param imagesPerSecond throughput of the whole pass (saliency + masking)
 * @param previewMaps     saliency maps of the first {@code previewMaps.size()} images ({@code mapHeight × mapWidth}
 *                        each, row-major); empty for RANDOM, which has no map
 * @param previewMasks    the binary masks of the same images (true = masked)
 * @param shortcut        what the masks did to the set's known shortcut; null when none is known
 */
public record MaskingResult(
        MaskedImages masked,
        MaskLayer layer,
        float[] maskedFraction,
        MaskedFractionStats stats,
        double imagesPerSecond,
        List<float[]> previewMaps,
        int mapHeight,
        int mapWidth,
        List<boolean[]> previewMasks,
        ShortcutDiagnostics shortcut) {

    public MaskingResult {
        previewMaps = List.copyOf(previewMaps);
        previewMasks = List.copyOf(previewMasks);
    }
}
