package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {

    @TempDir
    Path dir;

    /** A record whose byte at plane c, row y, column x is (seed + 3c + 5y + 7x) mod 256. */
    private static byte[] record(int label, int seed) {
        byte[] r = new byte[3073];
        r[0] = (byte) label;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    r[1 + c * 1024 + y * 32 + x] = (byte) (seed + 3 * c + 5 * y + 7 * x);
                }
            }
        }
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void readsWhicheverTrainBatchesExistInOrderWithPlanarRgb() {
        TestFiles.write(dir.resolve("data_batch_1.bin"), concat(record(3, 0), record(9, 100)));
        TestFiles.write(dir.resolve("data_batch_3.bin"), record(0, 200));
        TestFiles.write(dir.resolve("test_batch.bin"), record(6, 50));

        LoadedDataset ds = Cifar10Reader.readFolder(dir);

        ImageSet train = ds.split("train");
        assertEquals(3, train.size());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertArrayEquals(new int[] {3, 9, 0}, train.labels());
        assertEquals("truck", train.classes().get(9));
        // image 1 (seed 100), G plane, row 2, column 4: 100 + 3 + 10 + 28 = 141
        assertEquals(141, train.pixel(1, 1, 2, 4));
        // image 2 (seed 200), B plane, row 31, column 31: (200 + 6 + 155 + 217) mod 256 = 66
        assertEquals(66, train.pixel(2, 2, 31, 31));
        assertEquals(0, train.pixel(0, 0, 0, 0));
        ImageSet test = ds.split("test");
        assertArrayEquals(new int[] {6}, test.labels());
        assertEquals(50 + 3 + 5 + 7, test.pixel(0, 1, 1, 1));
    }

    @Test
    void classNamesComeFromBatchesMetaWhenPresent() {
        TestFiles.write(dir.resolve("data_batch_2.bin"), record(1, 0));
        TestFiles.write(dir.resolve("test_batch.bin"), record(1, 0));
        TestFiles.write(dir.resolve("batches.meta.txt"), "a0\na1\na2\na3\na4\na5\na6\na7\na8\na9\n\n");

        assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"), Cifar10Reader.readFolder(dir).split("train").classes());
    }

    @Test
    void sizeNotAMultipleOfTheRecordIsRejectedNamingTheFile() {
        TestFiles.write(dir.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(concat(record(1, 0), record(2, 0)), 2 * 3073 - 5));
        TestFiles.write(dir.resolve("test_batch.bin"), record(1, 0));

        var e = assertThrows(DatasetFormatException.class, () -> Cifar10Reader.readFolder(dir));

        assertEquals("data_batch_1.bin: size 6141 bytes is not a positive multiple of the record size 3073 (1 label byte + 3072"
                + " pixel bytes); the file is truncated or not a CIFAR-10 binary batch", e.getMessage());
    }

    @Test
    void labelOutOfRangeIsRejected() {
        TestFiles.write(dir.resolve("data_batch_1.bin"), concat(record(1, 0), record(10, 0)));
        TestFiles.write(dir.resolve("test_batch.bin"), record(1, 0));

        var e = assertThrows(DatasetFormatException.class, () -> Cifar10Reader.readFolder(dir));

        assertEquals("data_batch_1.bin: record 1 has label 10, expected 0..9", e.getMessage());
    }

    @Test
    void missingTestBatchIsNamed() {
        TestFiles.write(dir.resolve("data_batch_1.bin"), record(1, 0));

        var e = assertThrows(DatasetFormatException.class, () -> Cifar10Reader.readFolder(dir));

        assertEquals("test_batch.bin", e.file());
    }
}
