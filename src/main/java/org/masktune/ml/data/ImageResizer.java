package org.masktune.ml.data;

/**
 * Resizes uint8 CHW images, separably per axis. Shrinking an axis uses <b>area averaging</b> (each
 * output pixel is the exact mean of the source interval it covers, partial pixels weighted by
 * overlap — no aliasing when CelebA's 178 px become 64); enlarging uses <b>bilinear</b> interpolation
 * with half-pixel centres, edges clamped (PyTorch {@code interpolate(..., align_corners=False)}).
 * Results are rounded half up.
 */
public final class ImageResizer {

    private ImageResizer() {
    }

    /** Source indices and weights contributing to each output coordinate along one axis. */
    private record AxisWeights(int[][] index, float[][] weight) {
    }

    /** Resizes {@code channels} planes of {@code h×w} to {@code outH×outW}; returns a new array. */
    public static byte[] resize(byte[] chw, int channels, int h, int w, int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + outH + "x" + outW);
        }
        if (h == outH && w == outW) {
            return chw.clone();
        }
        AxisWeights xs = weights(w, outW);
        AxisWeights ys = weights(h, outH);
        float[] rows = new float[h * outW];
        byte[] out = new byte[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < outW; x++) {
                    float sum = 0;
                    int[] idx = xs.index[x];
                    float[] wt = xs.weight[x];
                    for (int k = 0; k < idx.length; k++) {
                        sum += wt[k] * (chw[plane + y * w + idx[k]] & 0xFF);
                    }
                    rows[y * outW + x] = sum;
                }
            }
            int outPlane = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int[] idx = ys.index[y];
                float[] wt = ys.weight[y];
                for (int x = 0; x < outW; x++) {
                    float sum = 0;
                    for (int k = 0; k < idx.length; k++) {
                        sum += wt[k] * rows[idx[k] * outW + x];
                    }
                    out[outPlane + y * outW + x] = (byte) Math.max(0, Math.min(255, (int) (sum + 0.5f)));
                }
            }
        }
        return out;
    }

    /** The central square of side min(h, w) of a CHW image. */
    public static byte[] centerCropSquare(byte[] chw, int channels, int h, int w) {
        int side = Math.min(h, w);
        int top = (h - side) / 2;
        int left = (w - side) / 2;
        byte[] out = new byte[channels * side * side];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < side; y++) {
                System.arraycopy(chw, (c * h + top + y) * w + left, out, (c * side + y) * side, side);
            }
        }
        return out;
    }

    /** Every image of {@code set} resized to {@code outH×outW}; labels and annotations unchanged. */
    public static ImageSet resize(ImageSet set, int outH, int outW) {
        if (set.height() == outH && set.width() == outW) {
            return set;
        }
        int in = set.imageBytes();
        int outBytes = set.channels() * outH * outW;
        byte[] out = new byte[DataFiles.pixelArraySize(set.size(), outBytes)];
        byte[] one = new byte[in];
        for (int i = 0; i < set.size(); i++) {
            System.arraycopy(set.pixels(), i * in, one, 0, in);
            System.arraycopy(resize(one, set.channels(), set.height(), set.width(), outH, outW), 0, out, i * outBytes, outBytes);
        }
        return new ImageSet(set.channels(), outH, outW, out, set.labels(), set.groups(), set.classes(), set.groupNames(),
                set.attributes(), set.attributeNames());
    }

    private static AxisWeights weights(int in, int out) {
        int[][] index = new int[out][];
        float[][] weight = new float[out][];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            if (out <= in) {
                double start = o * scale;
                double end = (o + 1) * scale;
                int first = (int) Math.floor(start);
                int last = Math.min(in - 1, (int) Math.ceil(end) - 1);
                index[o] = new int[last - first + 1];
                weight[o] = new float[last - first + 1];
                for (int j = first; j <= last; j++) {
                    double overlap = Math.min(end, j + 1) - Math.max(start, j);
                    index[o][j - first] = j;
                    weight[o][j - first] = (float) (overlap / scale);
                }
            } else {
                double centre = Math.max(0.0, Math.min(in - 1.0, (o + 0.5) * scale - 0.5));
                int j0 = (int) Math.floor(centre);
                int j1 = Math.min(j0 + 1, in - 1);
                float t = (float) (centre - j0);
                index[o] = new int[] {j0, j1};
                weight[o] = new float[] {1 - t, t};
            }
        }
        return new AxisWeights(index, weight);
    }
}
