package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir
    Path root;

    private static final int[][] A = {{0, 50, 100}, {150, 200, 250}};
    private static final int[][] B = {{7, 7, 7}, {9, 9, 255}};

    @Test
    void greyPngsGiveOneChannelExactPixelsAndSortedClasses() {
        TestFiles.image(root.resolve("zebra/1.png"), TestFiles.grey(A));
        TestFiles.image(root.resolve("ant/x.png"), TestFiles.grey(B));
        TestFiles.image(root.resolve("ant/a.PNG"), TestFiles.grey(A));
        TestFiles.write(root.resolve("ant/readme.txt"), "not an image");

        LoadedDataset ds = ImageFolderReader.read(root, null);

        assertEquals(List.of("train"), ds.splitNames());
        ImageSet set = ds.split("train");
        assertEquals(List.of("ant", "zebra"), set.classes());
        assertEquals(1, set.channels());
        assertEquals(2, set.height());
        assertEquals(3, set.width());
        assertArrayEquals(new int[] {0, 0, 1}, set.labels()); // ant/a.PNG, ant/x.png, zebra/1.png
        assertEquals(250, set.pixel(0, 0, 1, 2));
        assertEquals(255, set.pixel(1, 0, 1, 2));
        assertEquals(50, set.pixel(2, 0, 0, 1));
    }

    @Test
    void oneRgbImageMakesTheSetRgbWithGreyCopiedToAllChannels() {
        TestFiles.image(root.resolve("a/g.png"), TestFiles.grey(A));
        TestFiles.image(root.resolve("b/c.png"), TestFiles.solid(3, 2, 255, 128, 1));

        ImageSet set = ImageFolderReader.read(root, null).split("train");

        assertEquals(3, set.channels());
        assertEquals(150, set.pixel(0, 0, 1, 0));
        assertEquals(150, set.pixel(0, 1, 1, 0));
        assertEquals(150, set.pixel(0, 2, 1, 0));
        assertEquals(255, set.pixel(1, 0, 0, 0));
        assertEquals(128, set.pixel(1, 1, 0, 0));
        assertEquals(1, set.pixel(1, 2, 0, 0));
    }

    @Test
    void imageSizeResizesWithAreaAveraging() {
        TestFiles.image(root.resolve("a/big.png"), TestFiles.grey(new int[][] {{0, 10, 200, 255}, {20, 30, 100, 255}, {1, 1, 0, 0}, {1, 2, 0, 1}}));
        TestFiles.image(root.resolve("a/small.png"), TestFiles.grey(new int[][] {{40, 80}, {120, 160}}));

        ImageSet set = ImageFolderReader.read(root, 2).split("train");

        assertArrayEquals(new byte[] {15, (byte) 203, 1, 0, 40, 80, 120, (byte) 160}, set.pixels());
    }

    @Test
    void differentSizesWithoutImageSizeNameTheOddFile() {
        TestFiles.image(root.resolve("cat/a.png"), TestFiles.grey(A));
        TestFiles.image(root.resolve("cat/b.png"), TestFiles.grey(new int[][] {{1, 2}, {3, 4}}));

        var e = assertThrows(DatasetFormatException.class, () -> ImageFolderReader.read(root, null));

        assertEquals("cat/b.png: is 2x2 (width x height) but cat/a.png is 3x2; images must share one size unless an imageSize"
                + " is given to resize them", e.getMessage());
    }

    @Test
    void splitFoldersBecomeSplitsWithSharedClassIndices() {
        TestFiles.image(root.resolve("train/cat/1.png"), TestFiles.grey(A));
        TestFiles.image(root.resolve("train/dog/1.png"), TestFiles.grey(B));
        TestFiles.image(root.resolve("test/dog/1.png"), TestFiles.grey(B));
        TestFiles.image(root.resolve("val/eel/1.png"), TestFiles.grey(A));

        LoadedDataset ds = ImageFolderReader.read(root, null);

        assertEquals(List.of("train", "val", "test"), ds.splitNames());
        assertEquals(List.of("cat", "dog", "eel"), ds.split("test").classes());
        assertArrayEquals(new int[] {0, 1}, ds.split("train").labels());
        assertArrayEquals(new int[] {1}, ds.split("test").labels());
        assertArrayEquals(new int[] {2}, ds.split("val").labels());
    }

    @Test
    void jpegsAreReadAsRgb() {
        TestFiles.image(root.resolve("red/1.jpg"), TestFiles.solid(8, 8, 200, 30, 40));
        TestFiles.image(root.resolve("blue/1.jpeg"), TestFiles.solid(8, 8, 10, 20, 220));

        ImageSet set = ImageFolderReader.read(root, 4).split("train");

        assertEquals(3, set.channels());
        assertEquals(4, set.height());
        // classes: blue, red; JPEG of a flat colour is exact to within a few levels
        assertArrayEquals(new int[] {0, 1}, set.labels());
        assertEquals(220, set.pixel(0, 2, 3, 3), 4);
        assertEquals(200, set.pixel(1, 0, 0, 0), 4);
        assertEquals(30, set.pixel(1, 1, 2, 1), 4);
    }

    @Test
    void undecodableImageIsNamed() {
        TestFiles.image(root.resolve("a/good.png"), TestFiles.grey(A));
        TestFiles.write(root.resolve("a/broken.png"), new byte[] {1, 2, 3, 4});

        var e = assertThrows(DatasetFormatException.class, () -> ImageFolderReader.read(root, null));

        assertEquals("a/broken.png", e.file());
        assertTrue(e.getMessage().startsWith("a/broken.png: "), e.getMessage());
    }

    @Test
    void mixingSplitAndClassFoldersIsRejected() {
        TestFiles.image(root.resolve("train/cat/1.png"), TestFiles.grey(A));
        TestFiles.image(root.resolve("dog/1.png"), TestFiles.grey(A));

        var e = assertThrows(DatasetFormatException.class, () -> ImageFolderReader.read(root, null));

        assertTrue(e.getMessage().contains("mixes split folders [train] with other folders [dog]"), e.getMessage());
    }
}
