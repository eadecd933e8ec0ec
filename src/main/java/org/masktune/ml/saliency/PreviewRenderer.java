package org.masktune.ml.saliency;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.masktune.ml.data.ImageSet;

/**
 * Renders a PNG grid with one row per image: original | saliency heat map | masked. Tiles are scaled up
 * by an integer factor (nearest neighbour) so both sides are at least {@value #MIN_TILE} px; tiles are
 * separated by {@value #GAP} px of white. Pure AWT on an in-memory image, so it works headless.
 */
public final class PreviewRenderer {

    /** Smallest tile side in pixels. */
    public static final int MIN_TILE = 84;
    /** White gap between tiles, in pixels. */
    public static final int GAP = 2;

    private PreviewRenderer() {
    }

    /** The integer nearest-neighbour scale for images of this size. */
    public static int scaleFor(int height, int width) {
        return Math.max(1, (MIN_TILE + Math.min(height, width) - 1) / Math.min(height, width));
    }

    /**
     * @param maps saliency maps of images 0 … maps.size()−1 of both sets, each {@code mapHeight × mapWidth}
     *             (sampled nearest-neighbour when it differs from the image size)
     * @return PNG bytes of a (3·W·s + 2·GAP) × (n·H·s + (n−1)·GAP) image, s = {@link #scaleFor}
     */
    public static byte[] render(ImageSet original, ImageSet masked, List<float[]> maps, int mapHeight, int mapWidth) {
        return render(original, masked, maps, mapHeight, mapWidth, List.of(), null);
    }

    /** Colours of the mask column: masked, unmasked, shortcut pixel masked, shortcut pixel left visible. */
    public static final int MASKED = 0xFFFFFF;
    public static final int UNMASKED = 0x000000;
    public static final int SHORTCUT_MASKED = 0x00C000;
    public static final int SHORTCUT_LEFT = 0xFF00FF;

    /**
     * As {@link #render(ImageSet, ImageSet, List, int, int)}, with a fourth column per row when {@code masks} is not
     * empty: the binary mask (white = masked), and where {@code shortcut} is known its pixels in green when masked and
     * in magenta when the mask left them visible.
     */
    public static byte[] render(ImageSet original, ImageSet masked, List<float[]> maps, int mapHeight, int mapWidth,
                                List<boolean[]> masks, org.masktune.ml.data.SpuriousRegions shortcut) {
        int n = maps.size();
        int columns = masks.isEmpty() ? 3 : 4;
        if (!masks.isEmpty() && masks.size() < n) {
            throw new IllegalArgumentException(masks.size() + " masks for " + n + " rows");
        }
        if (n == 0 || n > original.size() || n > masked.size()) {
            throw new IllegalArgumentException("need 1.." + Math.min(original.size(), masked.size()) + " maps, got " + n);
        }
        int h = original.height();
        int w = original.width();
        int s = scaleFor(h, w);
        int tileH = h * s;
        int tileW = w * s;
        BufferedImage grid = new BufferedImage(columns * tileW + (columns - 1) * GAP, n * tileH + (n - 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                grid.setRGB(x, y, 0xFFFFFF);
            }
        }
        for (int i = 0; i < n; i++) {
            int top = i * (tileH + GAP);
            float[] map = maps.get(i);
            boolean[] mask = columns == 4 ? masks.get(i) : null;
            boolean[] region = mask != null && shortcut != null && shortcut.carries(i) ? shortcut.pixels(i) : null;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float value = MapOps.nearest(map, mapHeight, mapWidth, h, w, y, x);
                    fill(grid, 0, top, s, y, x, rgb(original, i, y, x));
                    fill(grid, tileW + GAP, top, s, y, x, jet(value));
                    fill(grid, 2 * (tileW + GAP), top, s, y, x, rgb(masked, i, y, x));
                    if (mask != null) {
                        int p = y * w + x;
                        int colour = region != null && region[p] ? (mask[p] ? SHORTCUT_MASKED : SHORTCUT_LEFT) : (mask[p] ? MASKED : UNMASKED);
                        fill(grid, 3 * (tileW + GAP), top, s, y, x, colour);
                    }
                }
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(grid, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the preview PNG", e);
        }
    }

    /** The first {@code count} of the {@code rows} rows of a grid made by {@link #render}, as a new PNG. */
    public static byte[] firstRows(byte[] png, int rows, int count) throws IOException {
        if (count >= rows) {
            return png;
        }
        BufferedImage grid = ImageIO.read(new java.io.ByteArrayInputStream(png));
        int tileH = (grid.getHeight() - (rows - 1) * GAP) / rows;
        BufferedImage cropped = grid.getSubimage(0, 0, grid.getWidth(), count * tileH + (count - 1) * GAP);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(cropped, "png", out);
            return out.toByteArray();
        }
    }

    /** A jet-like colour map: 0 → dark blue, 0.5 → green, 1 → dark red (values clamped to [0, 1]). */
    public static int jet(float value) {
        double v = Math.max(0, Math.min(1, Float.isNaN(value) ? 0 : value));
        double r = clamp01(1.5 - Math.abs(4 * v - 3));
        double g = clamp01(1.5 - Math.abs(4 * v - 2));
        double b = clamp01(1.5 - Math.abs(4 * v - 1));
        return ((int) Math.round(r * 255) << 16) | ((int) Math.round(g * 255) << 8) | (int) Math.round(b * 255);
    }

    private static double clamp01(double x) {
        return Math.max(0, Math.min(1, x));
    }

    private static int rgb(ImageSet set, int i, int y, int x) {
        if (set.channels() >= 3) {
            return (set.pixel(i, 0, y, x) << 16) | (set.pixel(i, 1, y, x) << 8) | set.pixel(i, 2, y, x);
        }
        int grey = set.pixel(i, 0, y, x);
        return (grey << 16) | (grey << 8) | grey;
    }

    private static void fill(BufferedImage image, int left, int top, int scale, int y, int x, int rgb) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                image.setRGB(left + x * scale + dx, top + y * scale + dy, rgb);
            }
        }
    }
}
