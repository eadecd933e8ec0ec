package org.masktune.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Job rows and generated checkpoint files for the checkpoint tests. */
final class ArtifactTestData {

    /** 2.5 MiB and a few bytes: two full 1 MiB chunks and a partial third. */
    static final int SIZE = 5 * ArtifactStore.CHUNK_SIZE / 2 + 7;

    private ArtifactTestData() {
    }

    /** A finished job inserted directly, so no worker picks it up. */
    static UUID insertJob(JdbcTemplate jdbc) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, max_attempts, created_at, updated_at)
                values (?, 'device-check', 'SUCCEEDED', '{}'::jsonb, 3, now(), now())""", id);
        return id;
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
