package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User files are read only as far as their headers declare: a small file cannot fill the heap. */
class BoundedReadsTest {

    @TempDir
    Path dir;

    @Test
    void gzipInflatingFarBeyondItsHeaderIsRefusedAfterTheDeclaredBytes() throws IOException {
        Path images = GzipBombs.idxImages(dir.resolve("train-images-idx3-ubyte.gz"), 2, 3 * 1024);
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(1, 2));
        assertTrue(Files.size(images) < 8 << 20, "the bomb is small on disk: " + Files.size(images));

        long before = usedHeap();
        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("train-images-idx3-ubyte.gz: inflates beyond the 1584 bytes its header declares (refused after reading 1585 bytes)",
                e.getMessage());
        assertTrue(usedHeap() - before < 256L << 20, "reading the bomb must not hold its inflated size");
    }

    @Test
    void headerDeclaringMoreThanTheProcessCanHoldIsRefusedBeforeReading() {
        // 2^31 - 1 images of 28x28: 1.6 TB declared, in a 40-byte file
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(
                ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(Integer.MAX_VALUE).putInt(28).putInt(28).array()));
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(1));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertTrue(e.getMessage().startsWith("train-images-idx3-ubyte.gz: header declares 1683627179264 bytes, more than the "),
                e.getMessage());
    }

    @Test
    void rawFileLongerThanItsHeaderIsRefused() {
        byte[] file = TestFiles.idxImages(1, 2, 2, new byte[4 + 100]);
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte"), file);
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(1));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("train-images-idx3-ubyte: holds more than the 20 bytes its header declares (refused after reading 21 bytes)",
                e.getMessage());
    }

    @Test
    void labelsFileInflatingBeyondItsCountIsRefused() {
        byte[] labelsBytes = ByteBuffer.allocate(8 + 1000).putInt(IdxReader.LABELS_MAGIC).putInt(3).array();
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(3, 1, 1, new byte[3]));
        Path labels = TestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestFiles.gzip(labelsBytes));

        var e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(images, labels));

        assertEquals("train-labels-idx1-ubyte.gz: inflates beyond the 11 bytes its header declares (refused after reading 12 bytes)",
                e.getMessage());
    }

    @Test
    void imageDeclaringGigapixelsIsRefusedBeforeDecoding() throws IOException {
        // a valid PNG header (IHDR) of 100000 x 100000 with no pixel data following
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr);
        png.write(ByteBuffer.allocate(4).putInt(13).array());
        png.write(ihdr);
        png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        Path file = TestFiles.write(dir.resolve("cat/huge.png"), png.toByteArray());

        var e = assertThrows(DatasetFormatException.class, () -> ImageDecoding.read(file, "cat/huge.png"));

        assertEquals("cat/huge.png: header declares 100000x100000 pixels, more than the 67108864 an image may have", e.getMessage());
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
