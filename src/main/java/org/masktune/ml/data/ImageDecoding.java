package org.masktune.ml.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Decodes PNG/JPEG files (CMYK and YCCK JPEGs through TwelveMonkeys' ImageIO plug-in) with javax.imageio into uint8 CHW planes. */
final class ImageDecoding {

    private ImageDecoding() {
    }

    /** A decoded image: 1 (grey) or 3 (RGB) planes of {@code height×width}. */
    record Decoded(int channels, int height, int width, byte[] chw) {

        Decoded toRgb() {
            if (channels == 3) {
                return this;
            }
            int plane = height * width;
            byte[] rgb = new byte[3 * plane];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(chw, 0, rgb, c * plane, plane);
            }
            return new Decoded(3, height, width, rgb);
        }

        Decoded resized(int outH, int outW) {
            if (outH == height && outW == width) {
                return this;
            }
            return new Decoded(channels, outH, outW, ImageResizer.resize(chw, channels, height, width, outH, outW));
        }

        Decoded centerCroppedSquare() {
            if (height == width) {
                return this;
            }
            int side = Math.min(height, width);
            return new Decoded(channels, side, side, ImageResizer.centerCropSquare(chw, channels, height, width));
        }
    }

    /** Largest image decoded: 64 megapixels (8192×8192), 192 MB as RGB. */
    static final long MAX_PIXELS = 1L << 26;

    static boolean isImageFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /**
     * Decodes {@code file}. Images whose colour space is grey keep one plane, read from the raster
     * (not via {@code getRGB}, which would gamma-convert Java's linear grey); all others become RGB.
     * Alpha is dropped.
     *
     * @param displayName how errors name the file
     */
    static Decoded read(Path file, String displayName) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(displayName, "file not found");
        }
        BufferedImage img;
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DatasetFormatException(displayName, "is not a PNG or JPEG image javax.imageio can read");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    // checked before decoding: a small compressed file may declare gigapixels
                    throw new DatasetFormatException(displayName, "header declares " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, more than the " + MAX_PIXELS + " an image may have");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetFormatException d) {
                throw d;
            }
            throw new DatasetFormatException(displayName, "cannot be decoded as an image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DatasetFormatException(displayName, "is not a PNG or JPEG image javax.imageio can read");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && img.getColorModel().getNumColorComponents() == 1) {
            Raster raster = img.getRaster();
            int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
            byte[] grey = new byte[h * w];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    grey[y * w + x] = (byte) (row[x] >>> shift);
                }
            }
            return new Decoded(1, h, w, grey);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int plane = h * w;
        byte[] rgb = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            rgb[p] = (byte) (argb[p] >>> 16);
            rgb[plane + p] = (byte) (argb[p] >>> 8);
            rgb[2 * plane + p] = (byte) argb[p];
        }
        return new Decoded(3, h, w, rgb);
    }
}
