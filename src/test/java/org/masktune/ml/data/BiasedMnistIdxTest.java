package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Biased MNIST built from MNIST IDX files in a folder under a data root ({@code "format": "IDX"} with {@code biasedMnist}). */
class BiasedMnistIdxTest {

    private static final int SIDE = 8;
    private static final int[] COLOUR = {12, 250, 7};
    /** A 3×3 square at column 1, row 2, in a colour no grey pixel can have (its channels differ). */
    private static final BiasedMnistOptions OPTIONS = new BiasedMnistOptions(5, 3, COLOUR, 1, 2, 0.25, 4L);

    @TempDir
    Path dataRoot;

    /** n grey SIDE×SIDE digits, label of image i = i mod 10, pixel p of image i = (7i + p) mod 200 + 1. */
    private static byte[] pixels(int n) {
        byte[] px = new byte[n * SIDE * SIDE];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < SIDE * SIDE; p++) {
                px[i * SIDE * SIDE + p] = (byte) ((7 * i + p) % 200 + 1);
            }
        }
        return px;
    }

    private static int[] labels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return labels;
    }

    /** 40 training digits as .gz, 20 test digits raw. */
    private void writeTinyMnist(Path dir, boolean withTest) {
        TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(TestFiles.idxImages(40, SIDE, SIDE, pixels(40))));
        TestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestFiles.gzip(TestFiles.idxLabels(labels(40))));
        if (withTest) {
            TestFiles.write(dir.resolve("t10k-images-idx3-ubyte"), TestFiles.idxImages(20, SIDE, SIDE, pixels(20)));
            TestFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), TestFiles.idxLabels(labels(20)));
        }
    }

    private static DatasetSpec biasedIdx(String path, BiasedMnistOptions options, Integer imageSize) {
        return new DatasetSpec(DatasetFormat.IDX, null, path, imageSize, null, null, null, options, null, null);
    }

    private static boolean inSquare(int x, int y) {
        return x >= 1 && x < 4 && y >= 2 && y < 5;
    }

    /**
     * Every pixel of every image is the grey digit copied to R, G and B, except the square of the
     * images whose group says "square", which is exactly the colour; returns how many of each class
     * carry the square.
     */
    private static int[] checkPixelsAndCountSquares(ImageSet set, int[] digitLabels) {
        byte[] grey = pixels(set.size());
        int[] squaredPerClass = new int[2];
        for (int i = 0; i < set.size(); i++) {
            assertEquals(digitLabels[i] < 5 ? 0 : 1, set.labels()[i], "class of digit " + digitLabels[i]);
            boolean squared = set.groups()[i] >= 2;
            assertEquals(2 * (squared ? 1 : 0) + set.labels()[i], set.groups()[i]);
            if (squared) {
                squaredPerClass[set.labels()[i]]++;
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        int expected = squared && inSquare(x, y) ? COLOUR[c] : grey[i * SIDE * SIDE + y * SIDE + x] & 0xFF;
                        assertEquals(expected, set.pixel(i, c, y, x), "image " + i + " channel " + c + " at (" + x + ", " + y + ")");
                    }
                }
            }
        }
        return squaredPerClass;
    }

    @Test
    void idxFilesBecomeBiasedMnistWithExactSquareCountsPerSplit() {
        writeTinyMnist(dataRoot.resolve("mnist"), true);

        LoadedDataset ds = DatasetLoader.load(biasedIdx("mnist", OPTIONS, null), List.of(dataRoot));

        assertEquals(List.of("train", "test-conflicting", "test-original", "test"), ds.splitNames());
        ImageSet train = ds.split("train");
        assertEquals(3, train.channels());
        assertEquals(SIDE, train.height());
        assertEquals(List.of("0-4", "5-9"), train.classes());
        assertEquals(BiasedMnist.GROUP_NAMES, train.groupNames());
        // 20 digits per class; ratio 0.25: round(5) of class 0 lose the square, round(5) of class 1 get it
        assertArrayEquals(new int[] {15, 5}, checkPixelsAndCountSquares(train, labels(40)));
        assertArrayEquals(new int[] {5, 15, 15, 5}, BiasedMnistTest.groupCounts(train));
        // 10 test digits per class: the square on every class-1 image and no class-0 image, or on none
        ImageSet conflicting = ds.split("test-conflicting");
        assertArrayEquals(new int[] {0, 10}, checkPixelsAndCountSquares(conflicting, labels(20)));
        assertArrayEquals(new int[] {10, 0, 0, 10}, BiasedMnistTest.groupCounts(conflicting));
        assertArrayEquals(new int[] {0, 0}, checkPixelsAndCountSquares(ds.split("test-original"), labels(20)));
        assertEquals(conflicting, ds.split("test"));
    }

    @Test
    void resizedDigitsKeepAnExactSquareAndTheRatioCounts() {
        writeTinyMnist(dataRoot.resolve("mnist"), true);

        ImageSet train = DatasetLoader.load(biasedIdx("mnist", OPTIONS.withTrainConflictRatio(0.0), 12), List.of(dataRoot)).split("train");

        assertEquals(12, train.height());
        assertArrayEquals(new int[] {0, 20, 20, 0}, BiasedMnistTest.groupCounts(train));
        for (int i = 0; i < train.size(); i++) {
            if (train.groups()[i] == 2) {
                assertEquals(true, BiasedMnistTest.hasSquare(train, i, OPTIONS.squareRegion(), COLOUR), "image " + i);
            }
        }
    }

    @Test
    void withoutTheT10kFilesTheMissingFileIsNamed() {
        writeTinyMnist(dataRoot.resolve("train-only"), false);

        var e = assertThrows(DatasetFormatException.class,
                () -> DatasetLoader.load(biasedIdx("train-only", OPTIONS, null), List.of(dataRoot)));

        assertEquals("t10k-images-idx3-ubyte[.gz]", e.file());
        assertEquals(true, e.getMessage().contains("biasedMnist builds train from the train-* digits and test-conflicting and test-original"),
                e.getMessage());
        // plain IDX still reads the train files alone
        assertEquals(List.of("train"), DatasetLoader.load(DatasetSpec.folder(DatasetFormat.IDX, "train-only"), List.of(dataRoot)).splitNames());
    }

    @Test
    void theBuiltInDigitsAsIdxFilesGiveTheBuiltInBiasedMnistImageForImage() throws IOException {
        Path dir = Files.createDirectories(dataRoot.resolve("mnist-10k"));
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            try (InputStream in = BuiltInDatasets.class.getResourceAsStream("/datasets/mnist-10k/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        BiasedMnistOptions options = BiasedMnistOptions.defaults().withTrainConflictRatio(0.05).withSeed(7L);

        LoadedDataset fromIdx = DatasetLoader.load(biasedIdx("mnist-10k", options, null), List.of(dataRoot));
        LoadedDataset builtIn = BuiltInDatasets.load(BuiltInDatasets.BIASED_MNIST, new BuiltInOptions(options));

        assertEquals(builtIn.splitNames(), fromIdx.splitNames());
        for (String split : builtIn.splitNames()) {
            assertEquals(builtIn.split(split), fromIdx.split(split), split);
        }
    }
}
