package org.masktune.ml.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.ImageSet;

class PreviewRendererTest {

    @Test
    void rendersAReadablePngOfTheExpectedSizeAndColours() throws Exception {
        // Two grey 28×28 images → scale 3 → 84 px tiles: width 3·84 + 2·2 = 256, height 2·84 + 2 = 170.
        byte[] pixels = new byte[2 * 28 * 28];
        Arrays.fill(pixels, (byte) 100);
        ImageSet original = ImageSet.of(1, 28, 28, pixels, new int[2], List.of("c"));
        byte[] maskedPixels = pixels.clone();
        maskedPixels[0] = 0;
        ImageSet masked = original.withPixels(maskedPixels);
        float[] hot = new float[28 * 28];
        Arrays.fill(hot, 1f);

        byte[] png = PreviewRenderer.render(original, masked, List.of(hot, new float[28 * 28]), 28, 28);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));

        assertEquals(256, image.getWidth());
        assertEquals(170, image.getHeight());
        assertEquals(0x646464, image.getRGB(0, 0) & 0xFFFFFF);             // original grey 100
        assertEquals(0xFFFFFF, image.getRGB(84, 0) & 0xFFFFFF);            // white gap
        assertEquals(0x800000, image.getRGB(86, 0) & 0xFFFFFF);            // jet(1) = dark red
        assertEquals(0x000080, image.getRGB(86, 86) & 0xFFFFFF);           // row 2, jet(0) = dark blue
        assertEquals(0x000000, image.getRGB(172 + 2, 2) & 0xFFFFFF);       // masked pixel (0,0), scaled ×3
        assertEquals(0x646464, image.getRGB(172 + 3, 0) & 0xFFFFFF);       // its neighbour is untouched
    }

    @Test
    void largeImagesAreNotScaled() {
        assertEquals(1, PreviewRenderer.scaleFor(224, 224));
        assertEquals(3, PreviewRenderer.scaleFor(32, 32));
        assertEquals(4, PreviewRenderer.scaleFor(28, 21));
    }
}
