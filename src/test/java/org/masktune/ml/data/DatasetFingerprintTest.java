package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetFingerprintTest {

    static ImageSet tiny() {
        return ImageSet.of(1, 1, 2, new byte[] {5, (byte) 200, 0, 1}, new int[] {1, 0}, List.of("a", "b"));
    }

    @Test
    void hashesTheDocumentedByteLayout() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("masktune-imageset-v1".getBytes(StandardCharsets.US_ASCII));
        md.update(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2}); // channels, height, width, size
        md.update(new byte[] {5, (byte) 200, 0, 1}); // pixels
        md.update(new byte[] {0, 0, 0, 1, 0, 0, 0, 0}); // labels
        md.update(new byte[] {0, 0}); // no groups, no attributes

        assertEquals(HexFormat.of().formatHex(md.digest()), DatasetFingerprint.sha256(tiny()));
    }

    @Test
    void anyPixelLabelOrGroupChangeChangesTheHashButNamesDoNot() {
        ImageSet base = tiny();
        String h = DatasetFingerprint.sha256(base);

        assertEquals(64, h.length());
        assertEquals(h, DatasetFingerprint.sha256(tiny()));
        assertNotEquals(h, DatasetFingerprint.sha256(base.withPixels(new byte[] {5, (byte) 200, 0, 2})));
        assertNotEquals(h, DatasetFingerprint.sha256(ImageSet.of(1, 1, 2, base.pixels(), new int[] {0, 0}, base.classes())));
        // same bytes, other shape
        assertNotEquals(h, DatasetFingerprint.sha256(ImageSet.of(1, 2, 1, base.pixels(), base.labels(), base.classes())));
        ImageSet grouped = new ImageSet(1, 1, 2, base.pixels(), base.labels(), new int[] {0, 1}, base.classes(), List.of("g0", "g1"), null, List.of());
        assertNotEquals(h, DatasetFingerprint.sha256(grouped));
        assertEquals(h, DatasetFingerprint.sha256(ImageSet.of(1, 1, 2, base.pixels(), base.labels(), List.of("x", "y"))));
    }
}
