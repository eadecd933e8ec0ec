package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BiasedMnistTest {

    /** 300 digits 0–4 and 250 digits 5–9, 1×10×12, every pixel of image i equal to i mod 200 (never 255 or 0 only). */
    static ImageSet digits() {
        int n = 550;
        int[] labels = new int[n];
        byte[] px = new byte[n * 120];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 300 ? i % 5 : 5 + i % 5;
            java.util.Arrays.fill(px, i * 120, (i + 1) * 120, (byte) (i % 200 + 1));
        }
        return ImageSet.of(1, 10, 12, px, labels, IdxReader.DIGIT_CLASSES);
    }

    /** counts[g] = number of images in group g. */
    static int[] groupCounts(ImageSet set) {
        int[] counts = new int[4];
        for (int g : set.groups()) {
            counts[g]++;
        }
        return counts;
    }

    static boolean hasSquare(ImageSet set, int i, BiasedMnist.Region r, int[] rgb) {
        for (int c = 0; c < 3; c++) {
            for (int y = r.y(); y < r.y() + r.height(); y++) {
                for (int x = r.x(); x < r.x() + r.width(); x++) {
                    if (set.pixel(i, c, y, x) != rgb[c]) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void ratioZeroGivesEveryClass0TheSquareAndNoClass1() {
        ImageSet set = new BiasedMnist(BiasedMnistOptions.defaults()).apply(digits(), 0.0);

        // groups: class0/no-square, class1/no-square, class0/square, class1/square
        assertArrayEquals(new int[] {0, 250, 300, 0}, groupCounts(set));
    }

    @Test
    void ratioOnePercentFlipsExactlyRoundedCountsPerClass() {
        ImageSet set = new BiasedMnist(BiasedMnistOptions.defaults()).apply(digits(), 0.01);

        // class 0: round(3.0) = 3 without the square; class 1: round(2.5) = 3 with it
        assertArrayEquals(new int[] {3, 247, 297, 3}, groupCounts(set));
    }

    @Test
    void ratioOneIsTheConflictingTest() {
        ImageSet set = new BiasedMnist(BiasedMnistOptions.defaults()).apply(digits(), 1.0);

        assertArrayEquals(new int[] {300, 0, 0, 250}, groupCounts(set));
    }

    @Test
    void labelsChannelsAndSquarePixelsAreExact() {
        int[] colour = {10, 200, 30};
        var opts = new BiasedMnistOptions(3, 2, colour, 5, 4, 0.01, 9L);
        ImageSet in = digits();
        ImageSet set = new BiasedMnist(opts).apply(in, 0.1);

        assertEquals(3, set.channels());
        assertEquals(List.of("0-2", "3-9"), set.classes());
        assertEquals(BiasedMnist.GROUP_NAMES, set.groupNames());
        BiasedMnist.Region r = new BiasedMnist(opts).squareRegion();
        assertEquals(new BiasedMnist.Region(5, 4, 2, 2), r);
        int squared = 0;
        for (int i = 0; i < set.size(); i++) {
            assertEquals(in.labels()[i] < 3 ? 0 : 1, set.labels()[i]);
            boolean square = set.groups()[i] >= 2;
            assertEquals(square, hasSquare(set, i, r, colour), "image " + i);
            squared += square ? 1 : 0;
            int grey = i % 200 + 1;
            // outside the square every channel is the grey digit; the pixel just right of the square too
            for (int c = 0; c < 3; c++) {
                assertEquals(grey, set.pixel(i, c, 0, 0));
                assertEquals(grey, set.pixel(i, c, 4, 7));
                assertEquals(grey, set.pixel(i, c, 6, 5));
            }
        }
        // labels 0–2: 180 images → 162 squared (18 conflicting); labels 3–9: 370 → 37 squared
        assertEquals(162 + 37, squared);
    }

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        ImageSet a = new BiasedMnist(BiasedMnistOptions.defaults().withSeed(1)).apply(digits(), 0.1);
        ImageSet b = new BiasedMnist(BiasedMnistOptions.defaults().withSeed(1)).apply(digits(), 0.1);
        ImageSet c = new BiasedMnist(BiasedMnistOptions.defaults().withSeed(2)).apply(digits(), 0.1);

        assertArrayEquals(a.groups(), b.groups());
        assertArrayEquals(groupCounts(a), groupCounts(c));
        assertFalse(java.util.Arrays.equals(a.groups(), c.groups()));
    }

    @Test
    void buildGivesTrainAndBothTestsWithTestAsConflictingAlias() {
        ImageSet d = digits();
        LoadedDataset ds = new BiasedMnist(BiasedMnistOptions.defaults()).build("b", d, d);

        assertEquals(List.of("train", "test-conflicting", "test-original", "test"), ds.splitNames());
        assertArrayEquals(new int[] {3, 247, 297, 3}, groupCounts(ds.split("train")));
        assertArrayEquals(new int[] {300, 0, 0, 250}, groupCounts(ds.split("test-conflicting")));
        assertArrayEquals(new int[] {300, 250, 0, 0}, groupCounts(ds.split("test-original")));
        assertEquals(ds.split("test-conflicting"), ds.split("test"));
        ImageSet original = ds.split("test-original");
        assertEquals(d.pixel(7, 0, 0, 0), original.pixel(7, 0, 0, 0));
        assertEquals(d.pixel(7, 0, 0, 0), original.pixel(7, 2, 0, 0));
    }

    @Test
    void biasAlignedGroupsAreClass0WithSquareAndClass1Without() {
        assertFalse(BiasedMnist.isBiasAligned(0));
        assertTrue(BiasedMnist.isBiasAligned(1));
        assertTrue(BiasedMnist.isBiasAligned(2));
        assertFalse(BiasedMnist.isBiasAligned(3));
        assertThrows(IllegalArgumentException.class, () -> BiasedMnist.isBiasAligned(4));
    }

    @Test
    void regionContainsExactlyItsPixels() {
        BiasedMnist.Region r = BiasedMnistOptions.defaults().squareRegion();

        assertEquals(new BiasedMnist.Region(0, 0, 4, 4), r);
        assertTrue(r.contains(0, 0));
        assertTrue(r.contains(3, 3));
        assertFalse(r.contains(4, 0));
        assertFalse(r.contains(0, 4));
    }

    @Test
    void optionsAreValidatedAndCompareByValue() {
        assertThrows(IllegalArgumentException.class, () -> new BiasedMnistOptions(0, 4, null, 0, 0, 0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> new BiasedMnistOptions(5, 4, new int[] {256, 0, 0}, 0, 0, 0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> new BiasedMnistOptions(5, 4, null, 0, 0, 1.5, 0));
        assertEquals(BiasedMnistOptions.defaults(), new BiasedMnistOptions(5, 4, new int[] {255, 0, 0}, 0, 0, 0.01, 0));
        assertNotEquals(BiasedMnistOptions.defaults(), BiasedMnistOptions.defaults().withSeed(3));
        var outside = new BiasedMnist(new BiasedMnistOptions(5, 4, null, 10, 0, 0.01, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> outside.apply(digits(), 0.0));
        assertTrue(e.getMessage().contains("does not fit in 12x10 images"), e.getMessage());
    }
}
