package org.masktune.ml.saliency;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.masktune.ml.data.BatchEncoder;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.models.Classifier;

/**
 * Masks a whole image set in batches: saliency on the encoded (normalised) batch, masking on the raw
 * uint8 pixels of the set that is passed in. The input set is never modified; the result is a copy.
 */
public final class DatasetMasker {

    private DatasetMasker() {
    }

    /**
     * @param classifier the model whose saliency drives the mask (the best ERM checkpoint, in the reference);
     *                   ignored for {@link MaskingStrategy#RANDOM} and may then be null
     * @param set        raw images to mask — pristine or already masked (accumulative masking)
     * @param encoder    turns raw images into the network's normalised input (no augmentation here)
     * @param device     where the saliency pass runs
     * @param batchSize  images per saliency pass
     */
    public static MaskingResult mask(Classifier classifier, ImageSet set, BatchEncoder encoder, Device device,
                                     int batchSize, MaskingOptions options) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(options, "options");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        long start = System.nanoTime();
        byte[] pixels = set.pixels().clone();
        float[] fractions = new float[set.size()];
        List<float[]> previews = new ArrayList<>();
        int[] mapSize = {set.height(), set.width()};
        if (!options.strategy().masksPixels()) {
            throw new IllegalArgumentException(options.strategy() + " does not mask pixels; it gates features during the fine-tune");
        }
        if (options.strategy() == MaskingStrategy.RANDOM) {
            maskRandomly(set, pixels, fractions, options);
        } else {
            Objects.requireNonNull(classifier, "classifier");
            Objects.requireNonNull(encoder, "encoder");
            SaliencyMethod method = options.strategy() == MaskingStrategy.XGRADCAM
                    ? new XGradCam(classifier) : new ActivationAttention(classifier);
            try (NDManager manager = NDManager.newBaseManager(device)) {
                for (int from = 0; from < set.size(); from += batchSize) {
                    int[] indices = range(from, Math.min(set.size(), from + batchSize));
                    SaliencyBatch saliency;
                    try (NDManager batchManager = manager.newSubManager()) {
                        NDArray batch = encoder.encode(batchManager, set, indices);
                        saliency = method.compute(batch);
                    }
                    mapSize[0] = saliency.height();
                    mapSize[1] = saliency.width();
                    for (int k = 0; k < indices.length; k++) {
                        int i = indices[k];
                        float[] map = saliency.maps()[k];
                        fractions[i] = maskOne(set, pixels, i, map, saliency.height(), saliency.width(), options);
                        if (i < options.previewCount()) {
                            previews.add(map);
                        }
                    }
                }
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        return new MaskingResult(set.withPixels(pixels), fractions, MaskedFractionStats.of(fractions),
                set.size() / seconds, previews, mapSize[0], mapSize[1]);
    }

    private static float maskOne(ImageSet set, byte[] pixels, int image, float[] map, int mapHeight, int mapWidth,
                                 MaskingOptions options) {
        int offset = image * set.imageBytes();
        int masked;
        if (options.strategy() == MaskingStrategy.XGRADCAM) {
            double tau = SaliencyThreshold.muPlusKSigma(map, options.k());
            masked = PixelMasks.zeroAbove(pixels, offset, set.channels(), set.height(), set.width(),
                    map, mapHeight, mapWidth, tau);
        } else {
            double threshold = SaliencyThreshold.quantile(map, options.attentionQuantile());
            masked = PixelMasks.attenuateAbove(pixels, offset, set.channels(), set.height(), set.width(),
                    map, mapHeight, mapWidth, threshold, options.attenuation());
        }
        return (float) masked / (set.height() * set.width());
    }

    private static void maskRandomly(ImageSet set, byte[] pixels, float[] fractions, MaskingOptions options) {
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int i = 0; i < set.size(); i++) {
            int side = PixelMasks.randomSquare(pixels, i * set.imageBytes(), set.channels(), set.height(), set.width(),
                    random, options.minSide(), options.maxSide());
            fractions[i] = (float) (side * side) / (set.height() * set.width());
        }
    }

    private static int[] range(int from, int to) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return indices;
    }
}
