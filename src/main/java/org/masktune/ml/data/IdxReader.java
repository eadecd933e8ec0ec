package org.masktune.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads MNIST-style IDX files (MNIST, Fashion-MNIST), raw or gzip (detected by the magic bytes
 * 1f 8b, not by the name). Images: big-endian magic 0x00000803, count, rows, cols, then
 * count·rows·cols unsigned bytes. Labels: magic 0x00000801, count, then count bytes.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** Class names of MNIST-style sets: the digits "0".."9". */
    public static final List<String> DIGIT_CLASSES = IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    private static final String[][] SPLIT_FILES = {
            {"train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"},
            {"test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}};

    private IdxReader() {
    }

    /**
     * Reads a folder holding {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}
     * (split "train") and/or {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}
     * (split "test"); at least one pair must exist. Classes "0".."9".
     */
    public static LoadedDataset readFolder(Path dir) {
        DataFiles.requireDirectory(dir, "IDX dataset");
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        for (String[] split : SPLIT_FILES) {
            Path images = find(dir, split[1]);
            Path labels = find(dir, split[2]);
            if (images == null && labels == null) {
                continue;
            }
            if (images == null) {
                throw new DatasetFormatException(split[1] + "[.gz]", "not found, but " + labels.getFileName() + " is present");
            }
            if (labels == null) {
                throw new DatasetFormatException(split[2] + "[.gz]", "not found, but " + images.getFileName() + " is present");
            }
            splits.put(split[0], read(images, labels));
        }
        if (splits.isEmpty()) {
            throw new DatasetFormatException(SPLIT_FILES[0][1] + "[.gz]",
                    "not found in folder " + DatasetFormatException.displayName(dir) + " (nor the t10k-* test files)");
        }
        return new LoadedDataset(DatasetFormatException.displayName(dir), splits);
    }

    /**
     * {@link #readFolder}, but both pairs must be there: the train-* and the t10k-* files. A missing
     * pair is named, with {@code why} the caller needs it (e.g. "biasedMnist builds test-conflicting
     * and test-original from the t10k digits").
     */
    public static LoadedDataset readTrainAndTest(Path dir, String why) {
        LoadedDataset read = readFolder(dir);
        for (String[] split : SPLIT_FILES) {
            if (!read.hasSplit(split[0])) {
                throw new DatasetFormatException(split[1] + "[.gz]", "not found in folder " + DatasetFormatException.displayName(dir)
                        + " (nor " + split[2] + "[.gz]); " + why);
            }
        }
        return read;
    }

    /** Reads one images file and its labels file. */
    public static ImageSet read(Path images, Path labels) {
        return parse(DataFiles.readMaybeGzip(images, 16, IdxReader::declaredImagesSize), DatasetFormatException.displayName(images),
                DataFiles.readMaybeGzip(labels, 8, IdxReader::declaredLabelsSize), DatasetFormatException.displayName(labels));
    }

    /** Reads images and labels from streams (e.g. classpath resources); the names appear in errors. */
    public static ImageSet read(InputStream images, String imagesName, InputStream labels, String labelsName) {
        try (images; labels) {
            return parse(DataFiles.readMaybeGzip(images, imagesName, 16, IdxReader::declaredImagesSize), imagesName,
                    DataFiles.readMaybeGzip(labels, labelsName, 8, IdxReader::declaredLabelsSize), labelsName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 16 + count·rows·cols from an images header, or -1 when it is not one (then {@link #parse} says why). */
    static long declaredImagesSize(byte[] header) {
        if (header.length < 16 || DataFiles.bigEndianInt(header, 0) != IMAGES_MAGIC) {
            return -1;
        }
        long n = Integer.toUnsignedLong(DataFiles.bigEndianInt(header, 4));
        long rows = Integer.toUnsignedLong(DataFiles.bigEndianInt(header, 8));
        long cols = Integer.toUnsignedLong(DataFiles.bigEndianInt(header, 12));
        if (rows == 0 || cols == 0 || rows > 65_535 || cols > 65_535) {
            return -1;
        }
        long perImage = rows * cols;
        return Math.multiplyHigh(n, perImage) != 0 || n * perImage < 0 || n * perImage > Long.MAX_VALUE - 16 ? Long.MAX_VALUE : 16 + n * perImage;
    }

    /** 8 + count from a labels header, or -1 when it is not one. */
    static long declaredLabelsSize(byte[] header) {
        if (header.length < 8 || DataFiles.bigEndianInt(header, 0) != LABELS_MAGIC) {
            return -1;
        }
        return 8 + Integer.toUnsignedLong(DataFiles.bigEndianInt(header, 4));
    }

    static ImageSet parse(byte[] img, String imagesName, byte[] lab, String labelsName) {
        int magic = img.length >= 4 ? DataFiles.bigEndianInt(img, 0) : -1;
        if (img.length >= 4 && magic != IMAGES_MAGIC) {
            throw new DatasetFormatException(imagesName, String.format("wrong magic number 0x%08X, expected 0x%08X (IDX unsigned-byte images)%s",
                    magic, IMAGES_MAGIC, magic == LABELS_MAGIC ? "; this looks like a labels file" : ""));
        }
        if (img.length < 16) {
            throw new DatasetFormatException(imagesName, "truncated: " + img.length + " bytes, shorter than the 16-byte IDX image header");
        }
        long n = Integer.toUnsignedLong(DataFiles.bigEndianInt(img, 4));
        long rows = Integer.toUnsignedLong(DataFiles.bigEndianInt(img, 8));
        long cols = Integer.toUnsignedLong(DataFiles.bigEndianInt(img, 12));
        if (rows == 0 || cols == 0) {
            throw new DatasetFormatException(imagesName, "header says images of " + rows + "x" + cols);
        }
        if (rows > 65_535 || cols > 65_535) {
            throw new DatasetFormatException(imagesName, "header says images of " + rows + "x" + cols + ", which is not plausible");
        }
        long perImage = rows * cols;
        if (Math.multiplyHigh(n, perImage) != 0 || n * perImage < 0) {
            throw new DatasetFormatException(imagesName, "header says " + n + " images of " + rows + "x" + cols + ", more than a file can hold");
        }
        long expected = n * perImage;
        long present = img.length - 16L;
        if (present < expected) {
            throw new DatasetFormatException(imagesName, "truncated: header says " + n + " images of " + rows + "x" + cols
                    + " but only " + present + " bytes of pixel data follow (expected " + expected + ")");
        }
        if (present > expected) {
            throw new DatasetFormatException(imagesName, (present - expected) + " unexpected bytes after the " + n + " images of "
                    + rows + "x" + cols + " the header announces");
        }
        int labelMagic = lab.length >= 4 ? DataFiles.bigEndianInt(lab, 0) : -1;
        if (lab.length >= 4 && labelMagic != LABELS_MAGIC) {
            throw new DatasetFormatException(labelsName, String.format("wrong magic number 0x%08X, expected 0x%08X (IDX unsigned-byte labels)%s",
                    labelMagic, LABELS_MAGIC, labelMagic == IMAGES_MAGIC ? "; this looks like an images file" : ""));
        }
        if (lab.length < 8) {
            throw new DatasetFormatException(labelsName, "truncated: " + lab.length + " bytes, shorter than the 8-byte IDX label header");
        }
        long labelCount = Integer.toUnsignedLong(DataFiles.bigEndianInt(lab, 4));
        if (labelCount != n) {
            throw new DatasetFormatException(labelsName, "header says " + labelCount + " labels but " + imagesName + " holds " + n + " images");
        }
        if (lab.length - 8L != labelCount) {
            throw new DatasetFormatException(labelsName, (lab.length - 8L < labelCount ? "truncated: " : "")
                    + "header says " + labelCount + " labels but " + (lab.length - 8L) + " label bytes follow");
        }
        int[] labels = new int[(int) n];
        for (int i = 0; i < n; i++) {
            labels[i] = lab[8 + i] & 0xFF;
            if (labels[i] >= DIGIT_CLASSES.size()) {
                throw new DatasetFormatException(labelsName, "label " + labels[i] + " of image " + i + " is outside 0..9");
            }
        }
        byte[] pixels = new byte[(int) expected];
        System.arraycopy(img, 16, pixels, 0, pixels.length);
        return ImageSet.of(1, (int) rows, (int) cols, pixels, labels, DIGIT_CLASSES);
    }

    private static Path find(Path dir, String baseName) {
        for (String candidate : new String[] {baseName, baseName + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
