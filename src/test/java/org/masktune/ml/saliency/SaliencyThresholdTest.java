package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SaliencyThresholdTest {

    // Positive values 1, 2, 3, 6: μ = 3, population variance = (4 + 1 + 0 + 9) / 4 = 3.5.
    private static final float[] MAP = {0f, -1f, 1f, 2f, 3f, 6f};

    @Test
    void tauIsMeanPlusKPopulationSigmaOfThePositiveValues() {
        assertEquals(3 + 2 * Math.sqrt(3.5), SaliencyThreshold.muPlusKSigma(MAP, 2), 1e-12); // 6.7417
        assertEquals(3 + Math.sqrt(3.5), SaliencyThreshold.muPlusKSigma(MAP, 1), 1e-12);     // 4.8708
        assertEquals(3.0, SaliencyThreshold.muPlusKSigma(MAP, 0), 1e-12);
    }

    @Test
    void mapWithoutPositiveValuesMasksNothing() {
        assertEquals(Double.POSITIVE_INFINITY, SaliencyThreshold.muPlusKSigma(new float[] {0f, 0f, -0.5f}, 2));
        byte[] pixels = {9, 9, 9};
        int masked = PixelMasks.zeroAbove(pixels, 0, 1, 1, 3, new float[] {0f, 0f, -0.5f}, 1, 3,
                SaliencyThreshold.muPlusKSigma(new float[] {0f, 0f, -0.5f}, 2));
        assertEquals(0, masked);
    }

    @Test
    void constantMapGivesItsValueAsTauWithoutNaNAndMasksNothing() {
        float[] constant = {0.5f, 0.5f, 0.5f, 0.5f};
        double tau = SaliencyThreshold.muPlusKSigma(constant, 2);
        assertEquals(0.5, tau, 0.0);
        byte[] pixels = {1, 2, 3, 4};
        assertEquals(0, PixelMasks.zeroAbove(pixels, 0, 1, 2, 2, constant, 2, 2, tau));
    }

    @Test
    void quantileInterpolatesLinearlyLikeNumpy() {
        float[] values = {4f, 1f, 3f, 2f};       // sorted 1 2 3 4, position q·3
        assertEquals(3.25, SaliencyThreshold.quantile(values, 0.75), 1e-9);
        assertEquals(1.0, SaliencyThreshold.quantile(values, 0.0), 0.0);
        assertEquals(4.0, SaliencyThreshold.quantile(values, 1.0), 0.0);
        assertEquals(2.5, SaliencyThreshold.quantile(values, 0.5), 1e-9);
    }

    @Test
    void minMaxSendsAConstantMapToZeros() {
        float[] map = {2f, 2f, 2f};
        MapOps.minMaxInPlace(map, 0, 3);
        assertEquals(0f, map[0] + map[1] + map[2], 0f);
        float[] ramp = {1f, 3f, 2f};
        MapOps.minMaxInPlace(ramp, 0, 3);
        assertEquals(0.5f, ramp[2], 0f);
        assertEquals(1f, ramp[1], 0f);
    }
}
