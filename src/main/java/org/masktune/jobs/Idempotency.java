package org.masktune.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The one rule for {@code Idempotency-Key}: a repeat with the same key must be the same request, compared by
 * the SHA-256 of what was asked (kind, priority, and the typed config serialised as the service serialises
 * it, so spelling, key order and defaults left out do not matter); otherwise it is a 409.
 */
public final class Idempotency {

    private Idempotency() {
    }

    public static String requestHash(String kind, int priority, String canonicalConfigJson) {
        return sha256(kind + "\n" + priority + "\n" + canonicalConfigJson);
    }

    /** Throws {@link IdempotencyConflictException} unless the stored request's hash is the new request's. */
    public static void requireSameRequest(String key, UUID existing, String storedHash, String requestHash) {
        if (!requestHash.equals(storedHash)) {
            throw new IdempotencyConflictException(key, existing);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
