package org.masktune.ml.saliency;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;

/** Small operations on saliency maps shared by the saliency methods and the maskers. */
public final class MapOps {

    private MapOps() {
    }

    /**
     * Min–max normalises {@code map[offset, offset + length)} in place to [0, 1]. A constant map becomes
     * all zeros (the reference divides by {@code max + 1e-7}, which also sends a constant map to 0; we
     * divide by the exact range otherwise, so the maximum is exactly 1).
     */
    public static void minMaxInPlace(float[] map, int offset, int length) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + length; i++) {
            min = Math.min(min, map[i]);
            max = Math.max(max, map[i]);
        }
        float range = max - min;
        for (int i = offset; i < offset + length; i++) {
            map[i] = range > 0 ? (map[i] - min) / range : 0f;
        }
    }

    /** Splits a flat N×h×w array into N maps, min–max normalising each. */
    static float[][] splitAndNormalise(float[] flat, int n, int pixels) {
        float[][] maps = new float[n][];
        for (int i = 0; i < n; i++) {
            maps[i] = new float[pixels];
            System.arraycopy(flat, i * pixels, maps[i], 0, pixels);
            minMaxInPlace(maps[i], 0, pixels);
        }
        return maps;
    }

    /**
     * Bilinear resize of an N×h×w map batch to N×height×width with PyTorch's {@code align_corners=false}
     * (half-pixel centres, edge clamp) — the same result as OpenCV's {@code INTER_LINEAR} that the
     * reference uses when upsampling. The result belongs to {@code maps}' manager.
     */
    static NDArray bilinearResize(NDArray maps, int height, int width) {
        NDArray nchw = maps.expandDims(1);
        // DJL's PyTorch interpolation always passes align_corners=false, whatever the flag says.
        NDArray resized = nchw.getNDArrayInternal()
                .interpolation(new long[] {height, width}, Image.Interpolation.BILINEAR.ordinal(), false);
        return resized.squeeze(1);
    }

    /**
     * The map value that covers image pixel ({@code y}, {@code x}) when the map and the image differ in size,
     * chosen like OpenCV's {@code INTER_NEAREST} resize of the mask in the reference: {@code floor(y · mapH / H)}.
     */
    static float nearest(float[] map, int mapHeight, int mapWidth, int imageHeight, int imageWidth, int y, int x) {
        if (mapHeight == imageHeight && mapWidth == imageWidth) {
            return map[y * mapWidth + x];
        }
        int my = Math.min(mapHeight - 1, (int) ((long) y * mapHeight / imageHeight));
        int mx = Math.min(mapWidth - 1, (int) ((long) x * mapWidth / imageWidth));
        return map[my * mapWidth + mx];
    }

    /** Nearest-neighbour resize of each map (see {@link #nearest}): every CAM cell covers its input pixels with one value. */
    static float[][] nearestResize(float[][] maps, int mapHeight, int mapWidth, int height, int width) {
        float[][] out = new float[maps.length][height * width];
        for (int i = 0; i < maps.length; i++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[i][y * width + x] = nearest(maps[i], mapHeight, mapWidth, height, width, y, x);
                }
            }
        }
        return out;
    }
}
