package org.masktune.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CIFAR-10 binary version: {@code data_batch_1.bin}..{@code data_batch_5.bin} (split
 * "train"; whichever exist, at least one) and {@code test_batch.bin} (split "test"). Each record is
 * one label byte followed by 3072 pixel bytes: the 32×32 R plane, then G, then B — already CHW.
 */
public final class Cifar10Reader {

    public static final int SIDE = 32;
    public static final int RECORD_BYTES = 1 + 3 * SIDE * SIDE;
    public static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    static final String META_FILE = "batches.meta.txt";

    private Cifar10Reader() {
    }

    /**
     * Reads a CIFAR-10 binary folder. Class names come from {@code batches.meta.txt} (one per line,
     * blank lines ignored, exactly 10) when present, else the standard ten.
     */
    public static LoadedDataset readFolder(Path dir) {
        DataFiles.requireDirectory(dir, "CIFAR-10 dataset");
        List<String> classes = readClassNames(dir);
        List<Path> trainFiles = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            Path p = dir.resolve("data_batch_" + b + ".bin");
            if (Files.isRegularFile(p)) {
                trainFiles.add(p);
            }
        }
        if (trainFiles.isEmpty()) {
            throw new DatasetFormatException("data_batch_1.bin", "not found in folder " + DatasetFormatException.displayName(dir)
                    + " (need at least one of data_batch_1.bin..data_batch_5.bin)");
        }
        Path test = dir.resolve("test_batch.bin");
        if (!Files.isRegularFile(test)) {
            throw new DatasetFormatException("test_batch.bin", "not found in folder " + DatasetFormatException.displayName(dir));
        }
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        splits.put("train", readBatches(trainFiles, classes));
        splits.put("test", readBatches(List.of(test), classes));
        return new LoadedDataset(DatasetFormatException.displayName(dir), splits);
    }

    /** Reads and concatenates CIFAR-10 binary batch files, straight into one pixel array. */
    public static ImageSet readBatches(List<Path> files, List<String> classes) {
        long total = 0;
        for (Path f : files) {
            long size = size(f);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new DatasetFormatException(f, "size " + size + " bytes is not a positive multiple of the record size "
                        + RECORD_BYTES + " (1 label byte + 3072 pixel bytes); the file is truncated or not a CIFAR-10 binary batch");
            }
            total += size / RECORD_BYTES;
        }
        int imageBytes = RECORD_BYTES - 1;
        byte[] pixels = new byte[DataFiles.pixelArraySize(total, imageBytes)];
        int[] labels = new int[(int) total];
        byte[] record = new byte[RECORD_BYTES];
        int i = 0;
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                int inFile = 0;
                while (in.readNBytes(record, 0, RECORD_BYTES) == RECORD_BYTES) {
                    int label = record[0] & 0xFF;
                    if (label >= classes.size()) {
                        throw new DatasetFormatException(f, "record " + inFile + " has label " + label + ", expected 0.." + (classes.size() - 1));
                    }
                    labels[i] = label;
                    System.arraycopy(record, 1, pixels, i * imageBytes, imageBytes);
                    i++;
                    inFile++;
                }
            } catch (IOException e) {
                throw new DatasetFormatException(f, "cannot be read: " + e.getMessage(), e);
            }
        }
        if (i != total) {
            throw new IllegalStateException("read " + i + " CIFAR records, expected " + total + " (files changed while reading?)");
        }
        return ImageSet.of(3, SIDE, SIDE, pixels, labels, classes);
    }

    private static List<String> readClassNames(Path dir) {
        Path meta = dir.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return CLASSES;
        }
        List<String> names;
        names = DataFiles.readLines(meta, 1 << 16).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != CLASSES.size()) {
            throw new DatasetFormatException(meta, "lists " + names.size() + " class names, expected 10");
        }
        return names;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new DatasetFormatException(f, "cannot be read: " + e.getMessage(), e);
        }
    }
}
