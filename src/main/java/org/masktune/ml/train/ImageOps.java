package org.masktune.ml.train;

import java.util.SplittableRandom;

/** Geometric augmentations on one CHW image of raw values (0–255) held as floats. */
final class ImageOps {

    private static final double MIN_RATIO = 3.0 / 4.0;
    private static final double MAX_RATIO = 4.0 / 3.0;

    private ImageOps() {
    }

    /**
     * out(y, x) = in(y + dy, x + dx), black outside: the same as zero-padding by p and cropping at
     * offset (p + dy, p + dx), which is what torchvision's padded {@code RandomCrop} does.
     */
    static float[] shift(float[] in, int c, int h, int w, int dy, int dx) {
        float[] out = new float[in.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= h) {
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    int sx = x + dx;
                    if (sx >= 0 && sx < w) {
                        out[(ch * h + y) * w + x] = in[(ch * h + sy) * w + sx];
                    }
                }
            }
        }
        return out;
    }

    static float[] flipHorizontal(float[] in, int c, int h, int w) {
        float[] out = new float[in.length];
        for (int row = 0; row < c * h; row++) {
            for (int x = 0; x < w; x++) {
                out[row * w + x] = in[row * w + (w - 1 - x)];
            }
        }
        return out;
    }

    /** torchvision's {@code RandomResizedCrop.get_params} (10 tries, then a centre crop) and a bilinear resize back. */
    static float[] randomResizedCrop(float[] in, int c, int h, int w, Augmentation.ScaleRange scale, SplittableRandom rng) {
        double area = (double) h * w;
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * (scale.min() + rng.nextDouble() * (scale.max() - scale.min()));
            double logRatio = Math.log(MIN_RATIO) + rng.nextDouble() * (Math.log(MAX_RATIO) - Math.log(MIN_RATIO));
            double ratio = Math.exp(logRatio);
            int cw = (int) Math.round(Math.sqrt(targetArea * ratio));
            int ch = (int) Math.round(Math.sqrt(targetArea / ratio));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                int top = rng.nextInt(h - ch + 1);
                int left = rng.nextInt(w - cw + 1);
                return resizeBilinear(in, c, h, w, top, left, ch, cw);
            }
        }
        double inRatio = (double) w / h;
        int cw = w;
        int ch = h;
        if (inRatio < MIN_RATIO) {
            ch = (int) Math.round(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            cw = (int) Math.round(h * MAX_RATIO);
        }
        return resizeBilinear(in, c, h, w, (h - ch) / 2, (w - cw) / 2, ch, cw);
    }

    /** Resizes the crop (top, left, ch×cw) to h×w, half-pixel centres (align_corners = false). */
    static float[] resizeBilinear(float[] in, int c, int h, int w, int top, int left, int ch, int cw) {
        float[] out = new float[c * h * w];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, (y + 0.5) * ch / h - 0.5);
            int y0 = Math.min((int) sy, ch - 1);
            int y1 = Math.min(y0 + 1, ch - 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, (x + 0.5) * cw / w - 0.5);
                int x0 = Math.min((int) sx, cw - 1);
                int x1 = Math.min(x0 + 1, cw - 1);
                double fx = sx - x0;
                for (int k = 0; k < c; k++) {
                    int plane = k * h * w;
                    double a = in[plane + (top + y0) * w + left + x0];
                    double b = in[plane + (top + y0) * w + left + x1];
                    double d = in[plane + (top + y1) * w + left + x0];
                    double e = in[plane + (top + y1) * w + left + x1];
                    out[plane + y * w + x] = (float) ((1 - fy) * ((1 - fx) * a + fx * b) + fy * ((1 - fx) * d + fx * e));
                }
            }
        }
        return out;
    }
}
