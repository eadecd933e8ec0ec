package org.masktune.ml.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.masktune.ml.data.BiasedMnist;
import org.masktune.ml.data.BiasedMnistOptions;
import org.masktune.ml.data.BuiltInDatasets;
import org.masktune.ml.data.BuiltInOptions;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.data.ImageSetFile;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.data.SpuriousRegions;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.Augmentation;
import org.masktune.ml.train.BatchPipeline;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.Normalization;

/**
 * Masks instead of masked copies: the masks of a round, applied on the fly to the originals, give exactly the
 * pixels the full masked copy held before masks replaced it. The expected SHA-256 values below were printed by
 * the copying code (DatasetMasker before this change, commit daf5915) for the same set, network and options.
 */
class MaskedImagesTest {

    static final String ORIGINALS = "6329a114d6b278216d6c1061ed6c2142f0d9e4d1aa824390386802ef346e5612";

    @TempDir
    Path dir;

    /** 30 RGB 12 × 12 images: a noisy gradient with a 4 × 4 patch whose colour tells the label. */
    static ImageSet set() {
        int n = 30;
        int c = 3;
        int s = 12;
        byte[] px = new byte[n * c * s * s];
        SplittableRandom r = new SplittableRandom(42);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int top = r.nextInt(s - 4);
            int left = r.nextInt(s - 4);
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        int v = 20 + 8 * x + 5 * y + r.nextInt(30) + 40 * ch;
                        if (y >= top && y < top + 4 && x >= left && x < left + 4) {
                            v = (i % 2 == 0) == (ch == 0) ? 250 : 5;
                        }
                        px[((i * c + ch) * s + y) * s + x] = (byte) Math.min(255, v);
                    }
                }
            }
        }
        return ImageSet.of(c, s, s, px, labels, List.of("a", "b"));
    }

    /** The same images behind a plain {@link ImageSource}, as a cached set is: nothing to copy from. */
    static ImageSource streamed(ImageSet set) {
        return new ImageSource() {
            public int channels() { return set.channels(); }
            public int height() { return set.height(); }
            public int width() { return set.width(); }
            public int[] labels() { return set.labels(); }
            public int[] groups() { return set.groups(); }
            public List<String> classes() { return set.classes(); }
            public List<String> groupNames() { return set.groupNames(); }
            public byte[] attributes() { return set.attributes(); }
            public List<String> attributeNames() { return set.attributeNames(); }
            public void read(int image, byte[] into, int offset) { set.read(image, into, offset); }
        };
    }

    static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static MaskingOptions options(String strategyOrFill) {
        if (strategyOrFill.equals("RANDOM") || strategyOrFill.equals("SEED_ATTENTION")) {
            return MaskingOptions.defaults(MaskingStrategy.valueOf(strategyOrFill)).withSeed(5);
        }
        MaskRule rule = new MaskRule(ThresholdRule.MEAN_K_STD, 1.0, 0.05, CamUpsampling.BILINEAR, 1, DilationUnit.PIXELS,
                MaskFill.valueOf(strategyOrFill));
        return MaskingOptions.defaults(MaskingStrategy.XGRADCAM).withRule(rule).withSeed(5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ZERO,           f1202df49f5efc6cb7a94a63941a1fb4db33e643b05c7a7da4e0ac3a1ef66781, 6256bd5472eff90172e274599c8e3d68148d6b6c12855d8716df6d78f97abc67, 0.14560185379038254, 0.08842592568447193, 1",
        "DATASET_MEAN,   d851a4a1219067729c7ec568dd506bfddcc15ee6815ca9e7138ce7dd2a29a98a, 7698ffcb5f30b6491f8edea96b2965e94773fe93140d81ade6bb5b7bb017f8a8, 0.14560185379038254, 0.18680555534859497, 2",
        "IMAGE_MEAN,     0de866ad0520a8113c368f99d4f7007365f2f4399039c3b2cf6fe7a8881d0a6a, 4ae954ea2f2fddecb9c6dfe93cd91ea5d08be37bd12d5ca1765ca27e5137eae1, 0.14560185379038254, 0.17407407388091087, 2",
        "NOISE,          dee130bd6b7c456b2216aa421559f9b3f271d7307a54343cae166e11d5607c40, 92659fb37099b266cfd1dc86b2d9d5177f1eac48b5c529125b048e5e21caf373, 0.14560185379038254, 0.16643518569568794, 2",
        "BLUR,           07ed86068d604ca55976e20cd9380bc3f3175d65c2957222a6f733f90cda75b0, 53996c3e3e0a4c4cc22d321e0223bb0aaf8a2f7a14471ade7939e794ef08cdd9, 0.14560185379038254, 0.16550925945242245, 2",
        "INPAINT,        ed47f6c8da886141d67b7e1da07f62283ceb8c0af8371f6dfe69be9cf617e536, 07bf4a5c361315846e5c573433421365ac1691348daf64fecd91a66550fbaec3, 0.14560185379038254, 0.17824074098219475, 2",
        "RANDOM,         d5ed8962f016654e177780de89ffdeab34dc47847d4f19e58c1f8fc32a94311a, 3cc811c2904f62179f591d5526c1d296e8c31e5785877061d9c669fe59fe6b6f, 0.507175927174588,   0.41620369994392,    1",
        "SEED_ATTENTION, c8790a8f6cb523c0c303285a12cac37cbc91c833e62215cf05c649915b8f9a2c, 250734fe008b525da481ac4ba3b2f9a2c255cd62d2a010784623b0ad486e52d3, 0.25,                0.25,                2"})
    void masksAppliedToTheOriginalsGiveTheMaskedCopysPixelsForEveryRuleAndAnAccumulativeRound(String rule, String once,
            String twice, double fractionOnce, double fractionTwice, int layersTwice) throws Exception {
        ImageSet set = set();
        assertThat(sha(set.pixels())).isEqualTo(ORIGINALS);
        try (NDManager manager = NDManager.newBaseManager()) {
            Classifier net = TinyNet.rgb(manager);
            ImageBatches encoder = ImageBatches.evaluation(Normalization.unit(3));
            MaskingOptions options = options(rule);
            Path folder = dir.resolve("masks");

            MaskingResult first = DatasetMasker.mask(net, streamed(set), encoder, Device.cpu(), 7, options, null, folder);
            // accumulative: saliency of round 2 on the round-1 masked images, its masks stacked on the same originals
            MaskingResult second = DatasetMasker.mask(net, first.masked(), encoder, Device.cpu(), 7, options.withSeed(6), null, folder);

            assertThat(sha(first.masked().toImageSet().pixels())).isEqualTo(once);
            assertThat(sha(second.masked().toImageSet().pixels())).isEqualTo(twice);
            assertThat(first.stats().mean()).isEqualTo(fractionOnce);
            assertThat(second.stats().mean()).isEqualTo(fractionTwice);
            assertThat(first.masked().layers()).hasSize(1);
            // zero after zero is one layer of the union (OR) of both rounds' masks; other fills stay in order
            assertThat(second.masked().layers()).hasSize(layersTwice);
            assertThat(second.masked().originals().size()).isEqualTo(set.size());
            assertThat(sha(set.pixels())).as("the originals are never written").isEqualTo(ORIGINALS);
            try (var files = Files.list(folder)) {
                assertThat(files.count()).as("the masks are kept in files, not on the heap").isGreaterThanOrEqualTo(2);
            }

            // the stored artifact: the masks, read back and applied to the originals, give the same pixels
            Path file = dir.resolve("masks.mtmk.gz");
            MaskFile.write(file, second.masked());
            List<MaskLayer> read = MaskFile.read(file);
            assertThat(read).hasSize(layersTwice);
            for (int l = 0; l < read.size(); l++) {
                MaskLayer written = second.masked().layers().get(l);
                assertThat(read.get(l).masks().sameBits(written.masks())).isTrue();
                assertThat(read.get(l).describe()).isEqualTo(written.describe());
            }
            assertThat(sha(MaskFile.apply(file, set).toImageSet().pixels())).isEqualTo(twice);
        }
    }

    @Test
    void eachImageReadsTheSameWhateverTheOrderTheThreadsOrTheBatches() throws Exception {
        ImageSet set = set();
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageBatches encoder = ImageBatches.evaluation(Normalization.unit(3));
            MaskingResult noise = DatasetMasker.mask(TinyNet.rgb(manager), set, encoder, Device.cpu(), 4, options("NOISE"));
            MaskedImages masked = noise.masked();
            byte[] inOrder = masked.toImageSet().pixels();
            int bytes = set.imageBytes();
            byte[] backwards = new byte[inOrder.length];
            for (int i = set.size() - 1; i >= 0; i--) {
                masked.read(i, backwards, i * bytes);
            }
            assertThat(backwards).isEqualTo(inOrder);

            int[] order = new int[set.size()];
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            ImageBatches training = ImageBatches.training(Normalization.unit(3), new Augmentation(true, 2, null), 17);
            assertThat(batches(masked, training, order, 1)).isEqualTo(batches(masked, training, order, 4));
            assertThat(batches(masked, training, order, 0)).isEqualTo(batches(masked, training, order, 4));
        }
    }

    private static float[][] batches(ImageSource set, ImageBatches encoder, int[] order, int threads) {
        try (BatchPipeline pipeline = new BatchPipeline(set, encoder, order, 4, threads)) {
            float[][] out = new float[pipeline.batches()][];
            for (int b = 0; b < out.length; b++) {
                out[b] = pipeline.next().pixels();
            }
            return out;
        }
    }

    @Test
    void packedMasksRoundTripBitForBitOnTheHeapAndInAFile() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 50;
        int h = 7;
        int w = 9; // 63 positions: the last byte is partly used
        boolean[][] masks = new boolean[n][h * w];
        PackedMasks heap = PackedMasks.onHeap(n, h, w);
        PackedMasks file = PackedMasks.inFile(dir.resolve("m.bits"), n, h, w);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                masks[i][p] = random.nextInt(4) == 0;
            }
            heap.set(i, masks[i]);
            file.set(i, masks[i]);
        }
        assertThat(heap.bytesPerImage()).isEqualTo(8);
        for (int i = 0; i < n; i++) {
            assertThat(heap.get(i)).isEqualTo(masks[i]);
            assertThat(file.get(i)).isEqualTo(masks[i]);
            assertThat(heap.count(i)).isEqualTo(BinaryMasks.count(masks[i]));
        }
        assertThat(heap.sameBits(file)).isTrue();
        PackedMasks union = heap.or(PackedMasks.onHeap(n, h, w), null);
        assertThat(union.sameBits(heap)).isTrue();
        assertThat(dir.resolve("m.bits")).hasSize((long) n * 8);
    }

    /**
     * The artifact's size against the masked copy's, on Biased MNIST's 28 × 28 RGB training images with masks the
     * size and shape MaskTune makes there (the square, about 3 % of each image).
     */
    @Test
    void theMaskFileIsAtMostASeventhOfTheMaskedCopy() throws Exception {
        ImageSet train = BuiltInDatasets.load("biased-mnist", new BuiltInOptions(BiasedMnistOptions.defaults())).split("train");
        ImageSet some = train.select(IntStream.range(0, 3000).toArray());
        SpuriousRegions squares = new BiasedMnist(BiasedMnistOptions.defaults()).spuriousRegions(some);
        PackedMasks masks = PackedMasks.onHeap(some.size(), 28, 28);
        for (int i = 0; i < some.size(); i++) {
            masks.set(i, squares.carries(i) ? squares.pixels(i) : new boolean[28 * 28]);
        }
        MaskedImages masked = MaskedImages.of(some, List.of(MaskLayer.filled(masks, MaskFill.ZERO, MaskFills.withoutStatistics(3))));
        Path copy = dir.resolve("masked-set.mtis.gz");
        Path file = dir.resolve("masks.mtmk.gz");
        ImageSetFile.write(copy, masked.toImageSet());
        MaskFile.write(file, masked);

        System.out.printf("3000 Biased MNIST images: masked copy %d bytes, masks %d bytes (%.1fx smaller)%n",
                Files.size(copy), Files.size(file), (double) Files.size(copy) / Files.size(file));
        assertThat(Files.size(file) * 7).isLessThanOrEqualTo(Files.size(copy));
        assertThat(Arrays.equals(MaskFile.apply(file, some).toImageSet().pixels(), ImageSetFile.read(copy).pixels())).isTrue();
    }
}
