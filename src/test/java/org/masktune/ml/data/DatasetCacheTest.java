package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoded cache must give back exactly what a direct decode gives, and only for the options it was built with. */
class DatasetCacheTest {

    @TempDir
    Path data;
    @TempDir
    Path cache;

    private static BufferedImage noise(int w, int h, long seed, boolean grey) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey) {
                    img.getRaster().setSample(x, y, 0, r.nextInt(256));
                } else {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
        }
        return img;
    }

    /** Every split of the cache equals the direct decode: shape, annotations, names, every pixel byte. */
    private DatasetCache.Opened assertCacheEqualsDirect(DatasetSpec spec) {
        Path root = spec.format() == DatasetFormat.BUILTIN ? null : data.resolve(spec.path());
        LoadedDataset direct = DatasetLoader.load(spec, root);
        DatasetCache.Opened opened = DatasetCache.open(spec, root, cache, null);
        assertEquals(direct.splitNames(), opened.dataset().splitNames(), spec.toString());
        assertEquals(direct.name(), opened.dataset().name());
        for (String split : direct.splitNames()) {
            ImageSet expected = direct.split(split);
            ImageSource cached = opened.dataset().split(split);
            assertTrue(cached instanceof CachedImages, "read from the cache, not memory: " + cached);
            assertEquals(expected, cached.toImageSet(), spec + " split " + split);
            assertEquals(DatasetFingerprint.sha256(expected), DatasetFingerprint.sha256(cached));
        }
        return opened;
    }

    @Test
    void imageFolderRgbGreyResizedAndSplitsReadBackExactly() {
        for (int i = 0; i < 6; i++) {
            TestFiles.image(data.resolve("rgb/train/" + (i % 2 == 0 ? "cat" : "dog") + "/" + i + ".png"), noise(12, 10, i, false));
            TestFiles.image(data.resolve("rgb/test/" + (i % 2 == 0 ? "cat" : "dog") + "/" + i + ".jpg"), noise(12, 10, 100 + i, false));
            TestFiles.image(data.resolve("grey/" + (i % 3) + "/" + i + ".png"), noise(9, 9, 200 + i, true));
        }
        // grey first, colour later: the reader must start over with three channels
        TestFiles.image(data.resolve("mixed/a/0.png"), noise(8, 8, 300, true));
        TestFiles.image(data.resolve("mixed/b/1.png"), noise(8, 8, 301, false));
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "rgb"));
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "rgb").withImageSize(7));
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "rgb").withSubsetSize(4));
        DatasetCache.Opened grey = assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "grey"));
        assertEquals(1, grey.dataset().split("train").channels());
        DatasetCache.Opened mixed = assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "mixed"));
        assertEquals(3, mixed.dataset().split("train").channels());
    }

    @Test
    void idxNativeResizedAndBiasedMnistReadBackExactly() {
        byte[] pixels = new byte[12 * 28 * 28];
        new Random(1).nextBytes(pixels);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 5};
        TestFiles.write(data.resolve("mnist/train-images-idx3-ubyte.gz"), TestFiles.gzip(TestFiles.idxImages(12, 28, 28, pixels)));
        TestFiles.write(data.resolve("mnist/train-labels-idx1-ubyte"), TestFiles.idxLabels(labels));
        TestFiles.write(data.resolve("mnist/t10k-images-idx3-ubyte"), TestFiles.idxImages(12, 28, 28, pixels));
        TestFiles.write(data.resolve("mnist/t10k-labels-idx1-ubyte"), TestFiles.idxLabels(labels));
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IDX, "mnist"));
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IDX, "mnist").withImageSize(20));
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.IDX, "mnist").withSubsetSize(5).withImageSize(32));
        assertCacheEqualsDirect(new DatasetSpec(DatasetFormat.IDX, null, "mnist", null, null, null, null,
                BiasedMnistOptions.defaults(), null, null));
    }

    @Test
    void cifar10ReadsBackExactly() {
        Random r = new Random(2);
        for (String file : List.of("data_batch_1.bin", "data_batch_2.bin", "test_batch.bin")) {
            ByteBuffer b = ByteBuffer.allocate(3 * Cifar10Reader.RECORD_BYTES);
            for (int k = 0; k < 3; k++) {
                byte[] rec = new byte[Cifar10Reader.RECORD_BYTES];
                r.nextBytes(rec);
                rec[0] = (byte) r.nextInt(10);
                b.put(rec);
            }
            TestFiles.write(data.resolve("cifar/" + file), b.array());
        }
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.CIFAR10, "cifar"));
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.CIFAR10, "cifar").withImageSize(40));
    }

    @Test
    void celebAAndWaterbirdsReadBackExactly() {
        Path celeba = data.resolve("celeba");
        CelebAReaderTest.writeCsvLayout(celeba);
        CelebAReaderTest.writeImages(celeba, 0, 1, 2, 3, 4);
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.CELEBA, "celeba").withImageSize(8));
        assertCacheEqualsDirect(new DatasetSpec(DatasetFormat.CELEBA, null, "celeba", 6, "Smiling", "Male", List.of("Blond_Hair", "Male"),
                null, 2, 3L));

        StringBuilder meta = new StringBuilder("img_id,img_filename,y,split,place\n");
        for (int i = 0; i < 7; i++) {
            String file = "0" + (i % 2) + ".bird/" + i + ".jpg";
            TestFiles.image(data.resolve("birds/" + file), noise(14, 11, 400 + i, false));
            meta.append(i).append(',').append(file).append(',').append(i % 2).append(',').append(i % 3).append(',').append((i / 2) % 2).append('\n');
        }
        TestFiles.write(data.resolve("birds/metadata.csv"), meta.toString());
        assertCacheEqualsDirect(DatasetSpec.folder(DatasetFormat.WATERBIRDS, "birds").withImageSize(10));
    }

    @Test
    void otherOptionsOrChangedFilesGetAnotherCacheAndTheSameOptionsReuseIt() throws IOException {
        for (int i = 0; i < 4; i++) {
            TestFiles.image(data.resolve("f/" + (i % 2) + "/" + i + ".png"), noise(6, 6, i, false));
        }
        DatasetSpec spec = DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "f");
        Path root = data.resolve("f");
        DatasetCache.Opened first = DatasetCache.open(spec, root, cache, null);
        assertTrue(first.built());
        DatasetCache.Opened again = DatasetCache.open(spec, root, cache, null);
        assertFalse(again.built(), "the same spec and files reuse the cache");
        assertEquals(first.dir(), again.dir());

        DatasetCache.Opened resized = DatasetCache.open(spec.withImageSize(4), root, cache, null);
        assertTrue(resized.built(), "another imageSize is another cache");
        assertNotEquals(first.dir(), resized.dir());
        assertEquals(4, resized.dataset().split("train").height());
        assertEquals(6, DatasetCache.open(spec, root, cache, null).dataset().split("train").height());

        DatasetSpec subset = spec.withSubsetSize(2);
        assertNotEquals(DatasetCache.key(spec, root), DatasetCache.key(subset, root));
        assertNotEquals(DatasetCache.key(subset, root), DatasetCache.key(new DatasetSpec(DatasetFormat.IMAGE_FOLDER, null, "f", null,
                null, null, null, null, 2, 9L), root), "another subset seed");

        // a file replaced by another (other size on disk) is another cache, holding the new pixels
        TestFiles.image(data.resolve("f/0/0.png"), noise(6, 6, 99, false));
        DatasetCache.Opened changed = DatasetCache.open(spec, root, cache, null);
        assertTrue(changed.built());
        assertEquals(DatasetLoader.load(spec, root).split("train"), changed.dataset().split("train").toImageSet());
    }

    @Test
    void aBuildKilledHalfwayIsNeverReadAndIsRebuilt() throws IOException {
        for (int i = 0; i < 600; i++) {
            TestFiles.image(data.resolve("big/" + (i % 2) + "/" + String.format("%04d", i) + ".png"), noise(4, 4, i, false));
        }
        DatasetSpec spec = DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "big");
        Path root = data.resolve("big");
        RuntimeException killed = assertThrows(RuntimeException.class, () -> DatasetCache.open(spec, root, cache, (done, total) -> {
            if (done >= 256 && done < total) {
                throw new IllegalStateException("killed at " + done + " of " + total);
            }
        }));
        assertTrue(killed.getMessage().contains("killed at"), killed.getMessage());
        String key = DatasetCache.key(spec, root);
        assertFalse(Files.exists(cache.resolve(key)), "no complete cache after a failed build");
        assertFalse(DatasetCache.isBuilt(spec, root, cache));
        try (Stream<Path> left = Files.list(cache)) {
            assertTrue(left.anyMatch(p -> p.getFileName().toString().startsWith(key + ".tmp-")), "the half-written build stays aside");
        }

        AtomicLong reported = new AtomicLong();
        DatasetCache.Opened rebuilt = DatasetCache.open(spec, root, cache, (done, total) -> reported.set(done));
        assertTrue(rebuilt.built(), "rebuilt, not read");
        assertEquals(600, reported.get());
        assertEquals(DatasetLoader.load(spec, root).split("train"), rebuilt.dataset().split("train").toImageSet());
        try (Stream<Path> left = Files.list(cache)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "the stale build was deleted");
        }
    }

    @Test
    void concurrentOpensOfOneKeyBuildItOnce() throws Exception {
        for (int i = 0; i < 40; i++) {
            TestFiles.image(data.resolve("c/" + (i % 2) + "/" + i + ".png"), noise(5, 5, i, false));
        }
        DatasetSpec spec = DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "c");
        Path root = data.resolve("c");
        List<java.util.concurrent.Future<DatasetCache.Opened>> opens;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            opens = pool.invokeAll(java.util.Collections.nCopies(4, () -> DatasetCache.open(spec, root, cache, null)));
        } finally {
            pool.shutdown();
        }
        int builds = 0;
        for (var f : opens) {
            builds += f.get().built() ? 1 : 0;
        }
        assertEquals(1, builds);
    }

    @Test
    void regionsOfAtMostOneGibibyteHoldWholeImages() throws IOException {
        // 3 images of 3x200x200 bytes with a 1 GiB limit need one region; check the arithmetic on a real file instead
        ImageSet set = ImageSet.of(3, 20, 20, new byte[5 * 1200], new int[] {0, 1, 0, 1, 0}, List.of("a", "b"));
        new Random(5).nextBytes(set.pixels());
        Path dir = Files.createDirectories(cache.resolve("manual"));
        Files.write(dir.resolve("s.pixels"), set.pixels());
        CachedImages.writeMeta(dir.resolve("s.meta"), 5, 3, 20, 20, set.labels(), null, set.classes(), List.of(), null, List.of());
        try (CachedImages cached = CachedImages.open(dir, "s")) {
            assertEquals(1, cached.regionCount());
            assertEquals(set, cached.toImageSet());
            byte[] one = new byte[1200];
            cached.read(4, one, 0);
            assertArrayEquals(java.util.Arrays.copyOfRange(set.pixels(), 4800, 6000), one);
        }
        System.setProperty("masktune.cache.read", "pread");
        try (CachedImages cached = CachedImages.open(dir, "s")) {
            assertEquals(0, cached.regionCount());
            assertEquals(set, cached.toImageSet());
        } finally {
            System.clearProperty("masktune.cache.read");
        }
    }

    @Test
    void splitsLargerThanTheMapLimitAreReadWithPositionalReadsSoTheRssStaysFlat() {
        assertTrue(CachedImages.mapped(CachedImages.MAP_LIMIT, "auto"));
        assertFalse(CachedImages.mapped(CachedImages.MAP_LIMIT + 1, "auto"));
        assertTrue(CachedImages.mapped(24L << 30, "mmap"));
        assertFalse(CachedImages.mapped(1, "pread"));
        assertThrows(IllegalArgumentException.class, () -> CachedImages.mapped(1, "mapped"));
    }
}
