package org.masktune.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ArtifactKindTest {

    /** The kind column's CHECK constraint (db/migration/V2__checkpoints.sql). */
    private static final Pattern STORED = Pattern.compile("^[a-z0-9-]+$");

    @Test
    void everyKindHasAStorableUniqueIdAMediaTypeAndAnExtension() {
        assertEquals(ArtifactKind.values().length, new HashSet<>(Arrays.stream(ArtifactKind.values()).map(ArtifactKind::id).toList()).size());
        for (ArtifactKind kind : ArtifactKind.values()) {
            assertTrue(STORED.matcher(kind.id()).matches(), kind.id());
            assertTrue(kind.mediaType().contains("/"), kind.mediaType());
            assertTrue(kind.extension().startsWith("."), kind.extension());
            assertEquals(kind, ArtifactKind.of(kind.id()).orElseThrow());
        }
    }

    @Test
    void downloadsAreLabelledByKindAndUnknownKindsStayModelLikeOctetStreams() {
        UUID job = UUID.fromString("0b7d6c2e-5d8e-4b7a-9f59-3a1f1c7a2f10");
        assertEquals(job + "-mask-preview.png", ArtifactKind.fileName(job, "mask-preview"));
        assertEquals("text/csv", ArtifactKind.mediaTypeOf("predictions"));
        assertEquals(job + "-best.ckpt", ArtifactKind.fileName(job, "best"));
        assertFalse(ArtifactKind.isModel("masked-set"));
        assertTrue(ArtifactKind.isModel("finetuned"));
        assertTrue(ArtifactKind.isModel("resume"), "kinds written by older versions are listed with the models");
        assertEquals("application/octet-stream", ArtifactKind.mediaTypeOf("resume"));
        assertEquals(job + "-resume.ckpt", ArtifactKind.fileName(job, "resume"));
    }
}
