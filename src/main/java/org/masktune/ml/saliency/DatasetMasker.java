package org.masktune.ml.saliency;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.masktune.ml.data.BatchEncoder;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.data.SpuriousRegions;
import org.masktune.ml.models.Classifier;

/**
 * Masks a whole image set in batches: saliency on the encoded (normalised) batch, one binary mask per
 * image at the input resolution. The result is the masks ({@link PackedMasks}, one bit per pixel
 * position) and what they do to a pixel ({@link MaskLayer}); {@link MaskingResult#masked()} applies
 * them on the fly to the images passed in. Nothing is copied: the set is read batch by batch (a
 * memory-mapped cache stays on disk) and is never modified.
 */
public final class DatasetMasker {

    private DatasetMasker() {
    }

    /** {@link #mask(Classifier, ImageSource, BatchEncoder, Device, int, MaskingOptions, SpuriousRegions, Path)} without diagnostics, masks on the heap. */
    public static MaskingResult mask(Classifier classifier, ImageSource set, BatchEncoder encoder, Device device,
                                     int batchSize, MaskingOptions options) {
        return mask(classifier, set, encoder, device, batchSize, options, null, null);
    }

    /** As below, with the masks on the heap. */
    public static MaskingResult mask(Classifier classifier, ImageSource set, BatchEncoder encoder, Device device,
                                     int batchSize, MaskingOptions options, SpuriousRegions shortcut) {
        return mask(classifier, set, encoder, device, batchSize, options, shortcut, null);
    }

    /**
     * @param classifier the model whose saliency drives the mask (the best ERM checkpoint, in the reference);
     *                   ignored for {@link MaskingStrategy#RANDOM} and may then be null
     * @param set        images to mask — pristine or already masked ({@link MaskedImages}: accumulative masking;
     *                   the saliency is computed on the masked images and the result stacks this round's masks on
     *                   the same originals)
     * @param encoder    turns raw images into the network's normalised input (no augmentation here)
     * @param device     where the saliency pass runs
     * @param batchSize  images per saliency pass
     * @param shortcut   where the set's known shortcut lies, for {@link MaskingResult#shortcut()}; null when unknown
     * @param maskFolder where the masks' bits are kept as memory-mapped files (they are deleted with the folder); null
     *                   keeps them on the heap ({@code ⌈h·w/8⌉} bytes per image)
     */
    public static MaskingResult mask(Classifier classifier, ImageSource set, BatchEncoder encoder, Device device,
                                     int batchSize, MaskingOptions options, SpuriousRegions shortcut, Path maskFolder) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(options, "options");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!options.strategy().masksPixels()) {
            throw new IllegalArgumentException(options.strategy() + " does not mask pixels; it gates features during the fine-tune");
        }
        long start = System.nanoTime();
        Pass pass = new Pass(set, options, shortcut, newFile(maskFolder));
        if (options.strategy() == MaskingStrategy.RANDOM) {
            SplittableRandom random = new SplittableRandom(options.seed());
            for (int i = 0; i < set.size(); i++) {
                pass.record(i, PixelMasks.randomHole(set.height(), set.width(), random, options.minSide(), options.maxSide())
                        .mask(set.height(), set.width()), null);
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
        return new MaskingResult(MaskedImages.after(set, pass.layer, newFile(maskFolder)), pass.layer, pass.fractions,
                MaskedFractionStats.of(pass.fractions), set.size() / seconds, pass.previews, pass.mapHeight, pass.mapWidth,
                pass.previewMasks, pass.diagnostics == null ? null : pass.diagnostics.finish());
    }

    private static Path newFile(Path folder) {
        if (folder == null) {
            return null;
        }
        try {
            Files.createDirectories(folder);
            return Files.createTempFile(folder, "masks-", ".bits");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a mask file in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The state of one pass over a set: the masks and what is reported about them. */
    private static final class Pass {
        final ImageSource set;
        final MaskingOptions options;
        final MaskLayer layer;
        final float[] fractions;
        final List<float[]> previews = new ArrayList<>();
        final List<boolean[]> previewMasks = new ArrayList<>();
        final ShortcutDiagnostics.Accumulator diagnostics;
        final byte[] before;
        final byte[] after;
        int mapHeight;
        int mapWidth;

        Pass(ImageSource set, MaskingOptions options, SpuriousRegions shortcut, Path maskFile) {
            this.set = set;
            this.options = options;
            this.fractions = new float[set.size()];
            this.mapHeight = set.height();
            this.mapWidth = set.width();
            PackedMasks masks = PackedMasks.allocate(maskFile, set.size(), set.height(), set.width());
            this.layer = switch (options.strategy()) {
                case XGRADCAM -> {
                    MaskFill fill = options.rule().fill();
                    yield MaskLayer.filled(masks, fill, fill == MaskFill.DATASET_MEAN || fill == MaskFill.NOISE || fill == MaskFill.INPAINT
                            ? MaskFills.ofDataset(set, options.seed()) : MaskFills.withoutStatistics(set.channels()));
                }
                case RANDOM -> MaskLayer.filled(masks, MaskFill.ZERO, MaskFills.withoutStatistics(set.channels()));
                case SEED_ATTENTION -> MaskLayer.attenuated(masks, options.attenuation());
                case SEED_FEATURE_GATE -> throw new IllegalArgumentException("SEED_FEATURE_GATE does not mask pixels");
            };
            this.diagnostics = shortcut == null ? null
                    : new ShortcutDiagnostics.Accumulator(shortcut, set.labels(), set.channels(), set.height(), set.width());
            this.before = diagnostics == null ? null : new byte[set.imageBytes()];
            this.after = diagnostics == null ? null : new byte[set.imageBytes()];
        }

        void maskBySaliency(int i, float[] map, int camHeight) {
            boolean[] mask = options.strategy() == MaskingStrategy.XGRADCAM
                    ? BinaryMasks.of(map, set.height(), set.width(), camHeight, options.rule())
                    : BinaryMasks.above(map, SaliencyThreshold.quantile(map, options.attentionQuantile()));
            record(i, mask, map);
        }

        void record(int i, boolean[] mask, float[] map) {
            layer.masks().set(i, mask);
            fractions[i] = (float) BinaryMasks.count(mask) / (set.height() * set.width());
            if (map != null && i < options.previewCount()) {
                previews.add(map);
                previewMasks.add(mask);
            }
            if (diagnostics != null) {
                set.read(i, before, 0);
                System.arraycopy(before, 0, after, 0, before.length);
                layer.apply(after, 0, set.channels(), set.height(), set.width(), mask, i);
                diagnostics.add(i, mask, map, before, after, 0);
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
