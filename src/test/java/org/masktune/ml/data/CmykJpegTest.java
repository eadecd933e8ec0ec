package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * CMYK and YCCK JPEGs (print exports, some photo archives) decode to RGB through the TwelveMonkeys JPEG plug-in:
 * colours are checked, and that the plug-in is the reader used. The files are written here with the JDK's JPEG writer
 * from a 4-band raster (an Adobe APP14 marker with transform 0 = CMYK, or 2 = YCCK), so nothing binary is committed.
 * (The JDK 17.0.15 reader used here decodes these two simple files as well, so the test checks the colours and which
 * reader is used, not a failure without the plug-in.)
 */
class CmykJpegTest {

    @TempDir
    Path dir;

    /**
     * Left half cyan (C=255), right half white (all inks 0), in Adobe's inverted storage (255 = no ink). For YCCK
     * 255 minus the inverted C, M, Y are stored as JPEG's Y, Cb, Cr (ITU-R BT.601, as decoders undo it) and K as it is: the JDK
     * writer stores the bands it is given without converting them.
     */
    private static Raster cyanAndWhite(int h, int w, boolean ycck) {
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] cmyk = x < w / 2 ? new int[] {0, 255, 255, 255} : new int[] {255, 255, 255, 255};
                if (ycck) {
                    double r = 255 - cmyk[0]; // libjpeg's YCCK: stored C = 255 - R of the YCC-decoded triple
                    double g = 255 - cmyk[1];
                    double b = 255 - cmyk[2];
                    cmyk = new int[] {
                            clamp(0.299 * r + 0.587 * g + 0.114 * b),
                            clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
                            clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
                            cmyk[3]};
                }
                raster.setPixel(x, y, cmyk);
            }
        }
        return raster;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static ImageWriter jdkJpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter w = writers.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    private static ImageReader jdkJpegReader() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (r.getClass().getName().startsWith("com.sun.")) {
                return r;
            }
        }
        throw new IllegalStateException("no JDK JPEG reader");
    }

    private static byte[] jpeg(Raster raster, IIOMetadata metadata) throws IOException {
        ImageWriter writer = jdkJpegWriter();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, metadata), null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A 4-component JPEG with an Adobe APP14 marker: written once without metadata, its metadata read back, the
     * marker added, and written again (the JDK writer then stores CMYK for transform 0 and converts to YCCK for 2).
     */
    private Path write(String name, int adobeTransform) throws IOException {
        Raster raster = cyanAndWhite(8, 16, adobeTransform == 2);
        ImageReader reader = jdkJpegReader();
        IIOMetadata metadata;
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(jpeg(raster, null)))) {
            reader.setInput(in);
            metadata = reader.getImageMetadata(0);
        } finally {
            reader.dispose();
        }
        String format = "javax_imageio_jpeg_image_1.0";
        Node tree = metadata.getAsTree(format);
        Element markers = (Element) tree.getLastChild();
        javax.imageio.metadata.IIOMetadataNode adobe = new javax.imageio.metadata.IIOMetadataNode("app14Adobe");
        adobe.setAttribute("version", "101");
        adobe.setAttribute("flags0", "0");
        adobe.setAttribute("flags1", "0");
        adobe.setAttribute("transform", Integer.toString(adobeTransform));
        markers.insertBefore(adobe, markers.getFirstChild());
        metadata.setFromTree(format, tree);
        byte[] bytes = jpeg(raster, metadata);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("Adobe");
        assertTrue(at > 0, "an Adobe marker was written");
        assertEquals(adobeTransform, bytes[at + 11], "the Adobe transform byte");
        Path file = dir.resolve(name);
        java.nio.file.Files.write(file, bytes);
        return file;
    }

    /** The reader ImageDecoding picks (the first ImageIO offers) is TwelveMonkeys', not the JDK's. */
    private static void assertReadByTwelveMonkeys(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader first = ImageIO.getImageReaders(in).next();
            assertEquals("com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader", first.getClass().getName());
            first.dispose();
        }
    }

    private static void assertCyanAndWhite(ImageDecoding.Decoded d) {
        assertEquals(3, d.channels());
        assertEquals(8, d.height());
        assertEquals(16, d.width());
        int plane = 8 * 16;
        int left = 4 * 16 + 2;
        int right = 4 * 16 + 13;
        int r = d.chw()[left] & 0xff;
        int g = d.chw()[plane + left] & 0xff;
        int b = d.chw()[2 * plane + left] & 0xff;
        assertTrue(r < 80 && g > 120 && b > 170, "cyan expected on the left, got rgb " + r + "," + g + "," + b);
        for (int c = 0; c < 3; c++) {
            int v = d.chw()[c * plane + right] & 0xff;
            assertTrue(v > 235, "white expected on the right, channel " + c + " = " + v);
        }
    }

    @Test
    void cmykJpegDecodesToRgb() throws IOException {
        Path file = write("cmyk.jpg", 0);
        assertReadByTwelveMonkeys(file);
        assertCyanAndWhite(ImageDecoding.read(file, "cmyk.jpg"));
    }

    @Test
    void ycckJpegDecodesToRgb() throws IOException {
        Path file = write("ycck.jpg", 2);
        assertReadByTwelveMonkeys(file);
        assertCyanAndWhite(ImageDecoding.read(file, "ycck.jpg"));
    }

    /** Ordinary (JFIF, YCbCr) JPEGs decode to exactly the pixels the JDK's reader gives: the plug-in changes no numbers. */
    @Test
    void ordinaryJpegsDecodeExactlyAsTheJdkDecodesThem() throws IOException {
        Path file = dir.resolve("rgb.jpg");
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(16, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, (x * 16) << 16 | (y * 30) << 8 | (x * y));
            }
        }
        ImageIO.write(image, "jpeg", file.toFile());
        assertReadByTwelveMonkeys(file);

        ImageReader jdk = jdkJpegReader();
        java.awt.image.BufferedImage expected;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            jdk.setInput(in);
            expected = jdk.read(0);
        } finally {
            jdk.dispose();
        }
        ImageDecoding.Decoded decoded = ImageDecoding.read(file, "rgb.jpg");
        int plane = 8 * 16;
        for (int p = 0; p < plane; p++) {
            int rgb = expected.getRGB(p % 16, p / 16);
            assertEquals((rgb >> 16) & 0xff, decoded.chw()[p] & 0xff);
            assertEquals((rgb >> 8) & 0xff, decoded.chw()[plane + p] & 0xff);
            assertEquals(rgb & 0xff, decoded.chw()[2 * plane + p] & 0xff);
        }
    }
}
