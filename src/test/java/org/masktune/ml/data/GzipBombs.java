package org.masktune.ml.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small files that inflate to gigabytes, for the tests that make sure nothing reads them whole. */
public final class GzipBombs {

    private GzipBombs() {
    }

    /**
     * Writes an IDX images file declaring {@code n} images of 28×28 whose gzip inflates to about
     * {@code inflatedMiB} MiB: the header member, then copies of one gzip member of 16 MiB of zeros
     * (gzip readers concatenate members), so a 3 GiB bomb is a 3 MB file written in milliseconds.
     */
    public static Path idxImages(Path file, int n, int inflatedMiB) {
        try {
            ByteArrayOutputStream zeros = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(zeros)) {
                gz.write(new byte[16 << 20]);
            }
            byte[] member = zeros.toByteArray();
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ByteArrayOutputStream header = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(header)) {
                    gz.write(ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(28).putInt(28).array());
                }
                out.write(header.toByteArray());
                for (int i = 0; i < inflatedMiB / 16; i++) {
                    out.write(member);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
