package org.masktune.ml.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** File reading shared by the readers: gzip detection by magic bytes and I/O errors that name the file. */
final class DataFiles {

    private DataFiles() {
    }

    /**
     * Reads at most this many bytes from any one user file (after gunzip) whatever its header says:
     * a third of the heap, so one file can never take the process down. Files of plausible datasets
     * (MNIST 47 MB, CIFAR-10 batches 30 MB, CelebA's attribute file 26 MB) are far below it.
     */
    static long maxReadBytes() {
        return Math.min(Integer.MAX_VALUE - 8L, Runtime.getRuntime().maxMemory() / 3);
    }

    /**
     * How many bytes a file may hold, decided from its first bytes (after gunzip): {@code header} is
     * at most {@code headerLength} bytes (fewer when the file is shorter); the answer is the total
     * size the header declares, or a negative number when the header is not understood (the caller's
     * parser then names the problem from the header bytes alone).
     */
    @FunctionalInterface
    interface DeclaredSize {
        long of(byte[] header);
    }

    /** All bytes of {@code file}, gunzipped if it starts with the gzip magic 1f 8b (whatever its name). */
    static byte[] readMaybeGzip(Path file) {
        return readMaybeGzip(file, 0, header -> -1);
    }

    /**
     * All bytes of {@code file}, gunzipped if needed, but never more than the size its header
     * declares (see {@link DeclaredSize}) nor {@link #maxReadBytes()}: a file that inflates beyond
     * its declared size is refused after reading one byte more than it, so a small gzip that
     * unpacks to gigabytes costs only its declared size in memory.
     */
    static byte[] readMaybeGzip(Path file, int headerLength, DeclaredSize declared) {
        try (InputStream in = Files.newInputStream(file)) {
            return readMaybeGzip(in, DatasetFormatException.displayName(file), headerLength, declared);
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file, "file not found", e);
        } catch (IOException e) {
            throw new DatasetFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    static byte[] readMaybeGzip(InputStream raw, String name) {
        return readMaybeGzip(raw, name, 0, header -> -1);
    }

    static byte[] readMaybeGzip(InputStream raw, String name, int headerLength, DeclaredSize declared) {
        try {
            BufferedInputStream in = new BufferedInputStream(raw);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (GZIPInputStream gz = new GZIPInputStream(in, 1 << 16)) {
                    return readBounded(gz, name, headerLength, declared, true);
                } catch (EOFException e) {
                    throw new DatasetFormatException(name, "truncated gzip stream (the file ends before the compressed data does)", e);
                } catch (ZipException e) {
                    throw new DatasetFormatException(name, "corrupt gzip data: " + e.getMessage(), e);
                }
            }
            return readBounded(in, name, headerLength, declared, false);
        } catch (IOException e) {
            throw new DatasetFormatException(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(InputStream in, String name, int headerLength, DeclaredSize declared, boolean gzip)
            throws IOException {
        byte[] header = in.readNBytes(headerLength);
        long limit = maxReadBytes();
        long size = header.length < headerLength ? -1 : declared.of(header);
        boolean byHeader = size >= 0;
        if (byHeader) {
            if (size > limit) {
                throw new DatasetFormatException(name, "header declares " + size + " bytes, more than the " + limit
                        + " bytes one file may hold in this process (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap)");
            }
            limit = size;
        }
        // read one byte beyond the limit to tell "exactly the declared size" from "more"
        byte[] rest = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limit - header.length + 1));
        long total = (long) header.length + rest.length;
        if (total > limit) {
            if (byHeader) {
                throw new DatasetFormatException(name, (gzip ? "inflates beyond" : "holds more than") + " the " + size
                        + " bytes its header declares (refused after reading " + total + " bytes)");
            }
            throw new DatasetFormatException(name, (gzip ? "inflates to" : "holds") + " more than " + limit
                    + " bytes, the most one file may hold in this process");
        }
        byte[] all = new byte[(int) total];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(rest, 0, all, header.length, rest.length);
        return all;
    }

    /**
     * The lines of a text file (UTF-8), refusing files over {@code maxBytes} before reading them
     * (metadata and attribute files; CelebA's largest is 26 MB).
     */
    static java.util.List<String> readLines(Path file, long maxBytes) {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new DatasetFormatException(file, "is " + size + " bytes, more than the " + maxBytes + " bytes a metadata file may hold");
            }
            return Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file, "file not found", e);
        } catch (IOException e) {
            throw new DatasetFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Largest metadata/text file read: 256 MiB, ten times CelebA's attribute file. */
    static final long MAX_TEXT_BYTES = 256L << 20;

    static int bigEndianInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
    }

    static void requireDirectory(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetFormatException(dir, what + " folder not found");
        }
    }

    /**
     * Size of the pixel array for {@code n} images of {@code perImage} bytes; fails with advice when
     * one Java array cannot hold it (e.g. all 202,599 CelebA images at 3×64×64 would need 2.5 GB).
     */
    static int pixelArraySize(long n, int perImage) {
        long total = n * perImage;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " images of " + perImage + " bytes need " + total
                    + " bytes, more than one array can hold; use subsetSize or a smaller imageSize");
        }
        return (int) total;
    }
}
