package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInDatasetsTest {

    static int[] histogram(ImageSet set, int classes) {
        int[] h = new int[classes];
        for (int l : set.labels()) {
            h[l]++;
        }
        return h;
    }

    @Test
    void namesAreTheTwoBuiltIns() {
        assertEquals(List.of("mnist-10k", "biased-mnist"), BuiltInDatasets.names());
    }

    @Test
    void mnist10kHas8000Plus2000GreyDigitsWithTheDocumentedHistogram() {
        LoadedDataset ds = BuiltInDatasets.load("mnist-10k");

        ImageSet train = ds.split("train");
        ImageSet test = ds.split("test");
        assertEquals(8000, train.size());
        assertEquals(2000, test.size());
        assertEquals(1, train.channels());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertEquals(IdxReader.DIGIT_CLASSES, train.classes());
        // NOTICE.md's table: the first 80 % of each digit of the npm package
        assertArrayEquals(new int[] {801, 902, 793, 826, 784, 690, 811, 856, 755, 782}, histogram(train, 10));
        assertArrayEquals(new int[] {200, 225, 198, 206, 196, 173, 203, 214, 189, 196}, histogram(test, 10));
        // real grey-level digits: a black border, full ink somewhere, and intermediate levels
        int max = 0;
        java.util.Set<Integer> levels = new java.util.HashSet<>();
        for (byte b : train.pixels()) {
            max = Math.max(max, b & 0xFF);
            levels.add(b & 0xFF);
        }
        assertEquals(255, max);
        assertEquals(256, levels.size());
        assertEquals(0, train.pixel(0, 0, 0, 0));
        assertEquals(0, train.pixel(123, 0, 27, 27));
    }

    @Test
    void biasedMnistOverMnist10kHasExactSquareCounts() {
        LoadedDataset ds = BuiltInDatasets.load("biased-mnist");

        assertEquals(List.of("train", "test-conflicting", "test-original", "test"), ds.splitNames());
        ImageSet train = ds.split("train");
        assertEquals(3, train.channels());
        assertEquals(List.of("0-4", "5-9"), train.classes());
        // class 0 = digits 0–4: 4106 images, round(41.06) = 41 without the square;
        // class 1 = digits 5–9: 3894 images, round(38.94) = 39 with it
        assertArrayEquals(new int[] {41, 3894 - 39, 4106 - 41, 39}, BiasedMnistTest.groupCounts(train));
        // test: 200+225+198+206+196 = 1025 digits 0–4, 173+203+214+189+196 = 975 digits 5–9
        assertArrayEquals(new int[] {1025, 0, 0, 975}, BiasedMnistTest.groupCounts(ds.split("test")));
        assertArrayEquals(new int[] {1025, 975, 0, 0}, BiasedMnistTest.groupCounts(ds.split("test-original")));
    }

    @Test
    void biasedMnistOptionsAreHonoured() {
        var opts = new BuiltInOptions(BiasedMnistOptions.defaults().withTrainConflictRatio(0.0));

        ImageSet train = BuiltInDatasets.load("biased-mnist", opts).split("train");

        assertArrayEquals(new int[] {0, 3894, 4106, 0}, BiasedMnistTest.groupCounts(train));
    }

    @Test
    void unknownNameListsTheBuiltIns() {
        var e = assertThrows(IllegalArgumentException.class, () -> BuiltInDatasets.load("cifar"));

        assertEquals("unknown built-in dataset 'cifar'; available: mnist-10k, biased-mnist", e.getMessage());
    }
}
