package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static final byte[] PIXELS = new byte[3 * 2 * 3];

    static {
        for (int i = 0; i < PIXELS.length; i++) {
            PIXELS[i] = (byte) (i * 14 + 3); // 3, 17, ..., 241: crosses 127 so signedness errors show
        }
    }

    @Test
    void readsRawTrainAndGzipTestIntoExactPixelsAndLabels() {
        TestFiles.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(3, 2, 3, PIXELS));
        TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(7, 0, 9));
        TestFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), TestFiles.gzip(TestFiles.idxImages(1, 2, 3, new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255})));
        TestFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), TestFiles.gzip(TestFiles.idxLabels(4)));

        LoadedDataset ds = IdxReader.readFolder(dir);

        assertEquals(List.of("train", "test"), ds.splitNames());
        ImageSet train = ds.split("train");
        assertEquals(3, train.size());
        assertEquals(1, train.channels());
        assertEquals(2, train.height());
        assertEquals(3, train.width());
        assertArrayEquals(PIXELS, train.pixels());
        assertArrayEquals(new int[] {7, 0, 9}, train.labels());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.classes());
        // image 1, row 1, col 2 = byte index 6 + 3 + 2 = 11 → 11·14 + 3 = 157
        assertEquals(157, train.pixel(1, 0, 1, 2));
        ImageSet test = ds.split("test");
        assertEquals(255, test.pixel(0, 0, 1, 2));
        assertEquals(253, test.pixel(0, 0, 1, 0));
        assertArrayEquals(new int[] {4}, test.labels());
    }

    @Test
    void detectsGzipByMagicBytesNotByName() {
        // gzip content under the raw name, raw content under the .gz name
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.gzip(TestFiles.idxImages(3, 2, 3, PIXELS)));
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestFiles.idxLabels(1, 2, 3));

        ImageSet set = IdxReader.read(images, labels);

        assertArrayEquals(PIXELS, set.pixels());
        assertArrayEquals(new int[] {1, 2, 3}, set.labels());
    }

    @Test
    void wrongMagicNamesTheFile() {
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.idxLabels(1, 2, 3));
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(1, 2, 3));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("train-images-idx3-ubyte: wrong magic number 0x00000801, expected 0x00000803 (IDX unsigned-byte images);"
                + " this looks like a labels file", e.getMessage());
        assertEquals("train-images-idx3-ubyte", e.file());
    }

    @Test
    void truncatedPixelDataSaysHowMuchIsMissing() {
        byte[] full = TestFiles.idxImages(3, 2, 3, PIXELS);
        byte[] cut = java.util.Arrays.copyOf(full, 16 + 10);
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(cut));
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestFiles.gzip(TestFiles.idxLabels(1, 2, 3)));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("train-images-idx3-ubyte.gz: truncated: header says 3 images of 2x3 but only 10 bytes of pixel data follow"
                + " (expected 18)", e.getMessage());
    }

    @Test
    void truncatedGzipStreamNamesTheFile() {
        byte[] gz = TestFiles.gzip(TestFiles.idxImages(3, 2, 3, PIXELS));
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(gz, gz.length - 12));
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(1, 2, 3));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("train-images-idx3-ubyte.gz", e.file());
        assertEquals(true, e.getMessage().contains("truncated gzip stream"), e.getMessage());
    }

    @Test
    void labelCountMismatchNamesBothFiles() {
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(3, 2, 3, PIXELS));
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(1, 2));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("train-labels-idx1-ubyte: header says 2 labels but train-images-idx3-ubyte holds 3 images", e.getMessage());
    }

    @Test
    void labelAboveNineIsRejected() {
        Path images = TestFiles.write(dir.resolve("i"), TestFiles.idxImages(3, 2, 3, PIXELS));
        Path labels = TestFiles.write(dir.resolve("l"), TestFiles.idxLabels(1, 12, 3));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("l: label 12 of image 1 is outside 0..9", e.getMessage());
    }

    @Test
    void missingLabelsFileIsNamed() {
        TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(TestFiles.idxImages(3, 2, 3, PIXELS)));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.readFolder(dir));

        assertEquals("train-labels-idx1-ubyte[.gz]: not found, but train-images-idx3-ubyte.gz is present", e.getMessage());
    }

    @Test
    void emptyFolderSaysWhichFilesAreExpected() {
        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.readFolder(dir));

        assertEquals(true, e.getMessage().startsWith("train-images-idx3-ubyte[.gz]: not found in folder"), e.getMessage());
    }
}
