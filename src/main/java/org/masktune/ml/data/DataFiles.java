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

    /** All bytes of {@code file}, gunzipped if it starts with the gzip magic 1f 8b (whatever its name). */
    static byte[] readMaybeGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return readMaybeGzip(in, DatasetFormatException.displayName(file));
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file, "file not found", e);
        } catch (IOException e) {
            throw new DatasetFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    static byte[] readMaybeGzip(InputStream raw, String name) {
        try {
            BufferedInputStream in = new BufferedInputStream(raw);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (GZIPInputStream gz = new GZIPInputStream(in, 1 << 16)) {
                    return gz.readAllBytes();
                } catch (EOFException e) {
                    throw new DatasetFormatException(name, "truncated gzip stream (the file ends before the compressed data does)", e);
                } catch (ZipException e) {
                    throw new DatasetFormatException(name, "corrupt gzip data: " + e.getMessage(), e);
                }
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DatasetFormatException(name, "cannot be read: " + e.getMessage(), e);
        }
    }

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
