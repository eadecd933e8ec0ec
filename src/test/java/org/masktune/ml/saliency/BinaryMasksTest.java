package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BinaryMasksTest {

    /** Renders a mask as rows of '#' (masked) and '.', for readable expectations. */
    static String draw(boolean[] mask, int width) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < mask.length; i++) {
            out.append(mask[i] ? '#' : '.');
            if ((i + 1) % width == 0 && i + 1 < mask.length) {
                out.append('/');
            }
        }
        return out.toString();
    }

    static boolean[] parse(String rows) {
        String flat = rows.replace("/", "");
        boolean[] mask = new boolean[flat.length()];
        for (int i = 0; i < flat.length(); i++) {
            mask[i] = flat.charAt(i) == '#';
        }
        return mask;
    }

    @Test
    void dilationGrowsAPixelIntoItsSquareAndStopsAtTheBorder() {
        // 5 x 5 with one pixel at row 3, column 0
        boolean[] mask = parse("...../...../...../#..../.....");
        assertEquals("...../...../##.../##.../##...", draw(BinaryMasks.dilate(mask, 5, 5, 1), 5));
        assertEquals("...../###../###../###../###..", draw(BinaryMasks.dilate(mask, 5, 5, 2), 5));
        assertEquals(draw(mask, 5), draw(BinaryMasks.dilate(mask, 5, 5, 0), 5));
    }

    @Test
    void dilationOfTwoPixelsIsTheUnionOfTheirSquares() {
        boolean[] mask = parse("#...../....../....../.....#");
        assertEquals("##..../##..../....##/....##", draw(BinaryMasks.dilate(mask, 4, 6, 1), 6));
        assertEquals("###.../######/######/...###", draw(BinaryMasks.dilate(mask, 4, 6, 2), 6));
    }

    @Test
    void meanKStdMasksStrictlyAboveTau() {
        // positive values 0.2, 0.2, 0.2, 1.0: mu = 0.4, population sigma = sqrt(0.12) = 0.3464; tau(k=1) = 0.7464
        float[] map = {0, 0.2f, 0.2f, 0.2f, 1.0f, 0};
        MaskRule rule = MaskRule.paper().withK(1);
        assertEquals("....#.", draw(BinaryMasks.salient(map, 1, 6, rule), 6));
        // k = 0: tau = 0.4, only 1.0 is above
        assertEquals("....#.", draw(BinaryMasks.salient(map, 1, 6, rule.withK(0)), 6));
    }

    @Test
    void topFractionTakesTheLargestValuesWithTiesAndNeverZeros() {
        float[] map = {0.9f, 0.1f, 0.5f, 0.5f, 0.3f, 0, 0, 0};
        assertEquals("#.......", draw(BinaryMasks.topFraction(map, 0.125), 8));
        // ceil(0.25 * 8) = 2 values: 0.9 and the tied 0.5s
        assertEquals("#.##....", draw(BinaryMasks.topFraction(map, 0.25), 8));
        // more than the positive values asked for: only the positive ones
        assertEquals("#####...", draw(BinaryMasks.topFraction(map, 0.9), 8));
    }

    @Test
    void connectedRegionsKeepWholeBlobsThatReachTheHighThreshold() {
        float[] map = {
            0.9f, 0.5f, 0, 0, 0.5f,
            0.5f, 0, 0, 0, 0.5f,
            0, 0, 0, 0.6f, 0,
            0, 0, 0, 0, 0};
        // high 0.8, low 0.4: the top-left blob is seeded by 0.9; the right blob (0.5, 0.5, 0.6 diagonal) never reaches 0.8
        assertEquals("##.../#..../...../.....", draw(BinaryMasks.connectedRegions(map, 4, 5, 0.8, 0.4), 5));
        // high 0.55 seeds the right blob too, connected through the 8-neighbourhood
        assertEquals("##..#/#...#/...#./.....", draw(BinaryMasks.connectedRegions(map, 4, 5, 0.55, 0.4), 5));
    }

    @Test
    void dilationInCamCellsScalesWithTheImageToCamRatio() {
        MaskRule halfCell = new MaskRule(ThresholdRule.MEAN_K_STD, 2, 0.05, CamUpsampling.BILINEAR, 0.5, DilationUnit.CAM_CELLS, MaskFill.ZERO);
        assertEquals(2, halfCell.dilationPixels(28, 8));   // 1.75 px -> 2
        assertEquals(16, halfCell.dilationPixels(224, 7)); // 16 px
        MaskRule pixels = new MaskRule(ThresholdRule.MEAN_K_STD, 2, 0.05, CamUpsampling.BILINEAR, 3, DilationUnit.PIXELS, MaskFill.ZERO);
        assertEquals(3, pixels.dilationPixels(224, 7));
    }

    @Test
    void nearestUpsamplingGivesEachCamCellItsPixels() {
        float[][] maps = {{0, 1, 0.5f, 0}};
        float[][] up = MapOps.nearestResize(maps, 2, 2, 4, 4);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0, 0}, up[0]);
    }
}
