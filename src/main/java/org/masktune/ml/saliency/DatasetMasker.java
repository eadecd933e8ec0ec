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
import org.masktune.ml.data.SpuriousRegions;
import org.masktune.ml.models.Classifier;

/**
 * Masks a whole image set in batches: saliency on the encoded (normalised) batch, masking on the raw
 * uint8 pixels of the set that is passed in. The input set is never modified; the result is a copy.
 */
public final class DatasetMasker {

    private DatasetMasker() {
    }

    /** {@link #mask(Classifier, ImageSet, BatchEncoder, Device, int, MaskingOptions, SpuriousRegions)} without diagnostics. */
    public static MaskingResult mask(Classifier classifier, ImageSet set, BatchEncoder encoder, Device device,
                                     int batchSize, MaskingOptions options) {
        return mask(classifier, set, encoder, device, batchSize, options, null);
    }

    /**
     * @param classifier the model whose saliency drives the mask (the best ERM checkpoint, in the reference);
     *                   ignored for {@link MaskingStrategy#RANDOM} and may then be null
     * @param set        raw images to mask — pristine or already masked (accumulative masking)
     * @param encoder    turns raw images into the network's normalised input (no augmentation here)
     * @param device     where the saliency pass runs
     * @param batchSize  images per saliency pass
     * @param shortcut   where the set's known shortcut lies, for {@link MaskingResult#shortcut()}; null when unknown
     */
    public static MaskingResult mask(Classifier classifier, ImageSet set, BatchEncoder encoder, Device device,
                                     int batchSize, MaskingOptions options, SpuriousRegions shortcut) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(options, "options");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!options.strategy().masksPixels()) {
            throw new IllegalArgumentException(options.strategy() + " does not mask pixels; it gates features during the fine-tune");
        }
        long start = System.nanoTime();
        Pass pass = new Pass(set, options, shortcut);
        if (options.strategy() == MaskingStrategy.RANDOM) {
            SplittableRandom random = new SplittableRandom(options.seed());
            for (int i = 0; i < set.size(); i++) {
                pass.maskRandomly(i, random);
            }
        } else {
            Objects.requireNonNull(classifier, "classifier");
            Objects.requireNonNull(encoder, "encoder");
            SaliencyMethod method = options.strategy() == MaskingStrategy.XGRADCAM
                    ? new XGradCam(classifier, options.rule().upsampling()) : new ActivationAttention(classifier);
            try (NDManager manager = NDManager.newBaseManager(device)) {
                for (int from = 0; from < set.size(); from += batchSize) {
                    int[] indices = range(from, Math.min(set.size(), from + batchSize));
                    SaliencyBatch saliency;
                    try (NDManager batchManager = manager.newSubManager()) {
                        NDArray batch = encoder.encode(batchManager, set, indices);
                        saliency = method.compute(batch);
                    }
                    pass.mapHeight = saliency.height();
                    pass.mapWidth = saliency.width();
                    for (int k = 0; k < indices.length; k++) {
                        pass.maskBySaliency(indices[k], saliency.maps()[k], saliency.camHeight());
                    }
                }
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        return new MaskingResult(set.withPixels(pass.pixels), pass.fractions, MaskedFractionStats.of(pass.fractions),
                set.size() / seconds, pass.previews, pass.mapHeight, pass.mapWidth, pass.previewMasks,
                pass.diagnostics == null ? null : pass.diagnostics.finish());
    }

    /** The state of one pass over a set: the output pixels and what is reported about them. */
    private static final class Pass {
        final ImageSet set;
        final MaskingOptions options;
        final byte[] pixels;
        final float[] fractions;
        final List<float[]> previews = new ArrayList<>();
        final List<boolean[]> previewMasks = new ArrayList<>();
        final MaskFills fills;
        final ShortcutDiagnostics.Accumulator diagnostics;
        int mapHeight;
        int mapWidth;

        Pass(ImageSet set, MaskingOptions options, SpuriousRegions shortcut) {
            this.set = set;
            this.options = options;
            this.pixels = set.pixels().clone();
            this.fractions = new float[set.size()];
            this.mapHeight = set.height();
            this.mapWidth = set.width();
            MaskFill fill = options.rule().fill();
            this.fills = fill == MaskFill.DATASET_MEAN || fill == MaskFill.NOISE || fill == MaskFill.INPAINT
                    ? MaskFills.ofDataset(set.pixels(), set.channels(), set.height(), set.width(), options.seed())
                    : MaskFills.withoutStatistics(set.channels());
            this.diagnostics = shortcut == null ? null
                    : new ShortcutDiagnostics.Accumulator(shortcut, set.labels(), set.channels(), set.height(), set.width());
        }

        void maskBySaliency(int i, float[] map, int camHeight) {
            int offset = i * set.imageBytes();
            int h = set.height();
            int w = set.width();
            boolean[] mask;
            if (options.strategy() == MaskingStrategy.XGRADCAM) {
                mask = BinaryMasks.of(map, h, w, camHeight, options.rule());
                fills.apply(options.rule().fill(), pixels, offset, set.channels(), h, w, mask, i);
            } else {
                double threshold = SaliencyThreshold.quantile(map, options.attentionQuantile());
                mask = BinaryMasks.above(map, threshold);
                PixelMasks.attenuateAbove(pixels, offset, set.channels(), h, w, map, h, w, threshold, options.attenuation());
            }
            record(i, mask, map);
        }

        void maskRandomly(int i, SplittableRandom random) {
            int offset = i * set.imageBytes();
            PixelMasks.Hole hole = PixelMasks.randomSquare(pixels, offset, set.channels(), set.height(), set.width(),
                    random, options.minSide(), options.maxSide());
            record(i, hole.mask(set.height(), set.width()), null);
        }

        private void record(int i, boolean[] mask, float[] map) {
            fractions[i] = (float) BinaryMasks.count(mask) / (set.height() * set.width());
            if (map != null && i < options.previewCount()) {
                previews.add(map);
                previewMasks.add(mask);
            }
            if (diagnostics != null) {
                diagnostics.add(i, mask, map, set.pixels(), pixels, i * set.imageBytes());
            }
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
