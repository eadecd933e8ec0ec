package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.SpuriousRegions;

class ShortcutDiagnosticsTest {

    private static final int SIDE = 6;

    /** The 2 x 2 square at the top-left corner of every image; images with an even index carry it. */
    private static final SpuriousRegions CORNER = new SpuriousRegions() {
        @Override
        public boolean carries(int i) {
            return i % 2 == 0;
        }

        @Override
        public boolean[] pixels(int i) {
            boolean[] p = new boolean[SIDE * SIDE];
            p[0] = p[1] = p[SIDE] = p[SIDE + 1] = true;
            return p;
        }
    };

    /**
     * Three square pixels at 1.0, the fourth at 0.3, the other 32 pixels at 0.1: μ = 6.5 / 36 = 0.1806,
     * σ = 0.2492, τ = μ + 2σ = 0.679, so the paper's threshold masks exactly three of the four square pixels.
     */
    private static float[] mapMissingOneSquarePixel() {
        float[] map = new float[SIDE * SIDE];
        Arrays.fill(map, 0.1f);
        map[0] = map[1] = map[SIDE] = 1.0f;
        map[SIDE + 1] = 0.3f;
        return map;
    }

    @Test
    void theResidualPixelsAreThoseTheThresholdLeftOnTheSquare() {
        float[] map = mapMissingOneSquarePixel();
        boolean[] paper = BinaryMasks.of(map, SIDE, SIDE, SIDE, MaskRule.paper());
        assertEquals(3, BinaryMasks.count(paper));
        ShortcutDiagnostics.Accumulator acc = new ShortcutDiagnostics.Accumulator(CORNER, new int[] {0, 1}, 1, SIDE, SIDE);
        byte[] px = new byte[2 * SIDE * SIDE];
        acc.add(0, paper, map, px, px, 0);
        acc.add(1, new boolean[SIDE * SIDE], map, px, px, SIDE * SIDE);
        ShortcutDiagnostics d = acc.finish();
        assertEquals(1, d.images());
        assertEquals(1.0, d.meanResidualPixels(), 1e-12);
        assertEquals(1.0, d.imagesWithResidualPixels(), 1e-12);
        assertEquals(0.75, d.regionMaskedFraction().mean(), 1e-6);
        // square mass 3.3 of a total 6.5
        assertEquals(3.3 / 6.5, d.saliencyMassInRegion(), 1e-6);

        // one pixel of dilation covers the fourth square pixel: nothing is left
        MaskRule dilated = new MaskRule(ThresholdRule.MEAN_K_STD, 2, 0.05, CamUpsampling.BILINEAR, 1, DilationUnit.PIXELS, MaskFill.ZERO);
        ShortcutDiagnostics.Accumulator again = new ShortcutDiagnostics.Accumulator(CORNER, new int[] {0, 1}, 1, SIDE, SIDE);
        again.add(0, BinaryMasks.of(map, SIDE, SIDE, SIDE, dilated), map, px, px, 0);
        assertEquals(0.0, again.finish().imagesWithResidualPixels(), 1e-12);
    }

    @Test
    void theMaskedPlaceTellsTheLabelWhenOnlyOneClassGetsABlackHole() {
        // 40 images on a grey (120) background; class 0 (even) carries the corner square, painted white (255)
        int n = 40;
        int plane = SIDE * SIDE;
        int[] labels = new int[n];
        byte[] before = new byte[n * plane];
        Arrays.fill(before, (byte) 120);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            if (CORNER.carries(i)) {
                for (int p : new int[] {0, 1, SIDE, SIDE + 1}) {
                    before[i * plane + p] = (byte) 255;
                }
            }
        }
        // zero fill turns the square black: class 0 is still told apart by its corner
        byte[] zeroed = before.clone();
        // inpainting from the grey surroundings leaves nothing to tell
        byte[] inpainted = before.clone();
        boolean[] mask = BinaryMasks.dilate(CORNER.pixels(0), SIDE, SIDE, 1);
        MaskFills fills = MaskFills.withoutStatistics(1);
        ShortcutDiagnostics.Accumulator zero = new ShortcutDiagnostics.Accumulator(CORNER, labels, 1, SIDE, SIDE);
        ShortcutDiagnostics.Accumulator inpaint = new ShortcutDiagnostics.Accumulator(CORNER, labels, 1, SIDE, SIDE);
        for (int i = 0; i < n; i++) {
            boolean[] m = CORNER.carries(i) ? mask : new boolean[plane];
            fills.apply(MaskFill.ZERO, zeroed, i * plane, 1, SIDE, SIDE, m, i);
            fills.apply(MaskFill.INPAINT, inpainted, i * plane, 1, SIDE, SIDE, m, i);
            zero.add(i, m, null, before, zeroed, i * plane);
            inpaint.add(i, m, null, before, inpainted, i * plane);
        }
        ShortcutDiagnostics z = zero.finish();
        ShortcutDiagnostics p = inpaint.finish();
        assertEquals(1.0, z.regionPredictivenessBefore(), 1e-12);
        assertEquals(1.0, z.regionPredictivenessAfter(), 1e-12);
        assertEquals(0.0, z.imagesWithResidualPixels(), 1e-12);
        // every corner is grey 120 again: the nearest centroid cannot do better than one class for all
        assertTrue(p.regionPredictivenessAfter() <= 0.5 + 1e-12, "inpainted: " + p.regionPredictivenessAfter());
    }
}
