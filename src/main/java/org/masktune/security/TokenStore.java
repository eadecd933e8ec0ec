package org.masktune.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured tokens, kept only as SHA-256 hashes and compared in constant time. With none
 * configured, an admin token is generated once, written to a file only its owner can read, and
 * read from there on every later start.
 */
public final class TokenStore {

    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);

    public record Identity(String name, Role role) {
    }

    private record Entry(byte[] hash, Identity identity) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public TokenStore(SecurityProperties properties) {
        for (SecurityProperties.Token token : properties.tokens()) {
            Role top = token.roles().stream().max(Enum::compareTo).orElseThrow();
            entries.add(new Entry(HexFormat.of().parseHex(token.sha256().toLowerCase()), new Identity(token.name(), top)));
        }
        if (properties.enabled() && entries.isEmpty()) {
            String token = generatedAdminToken(properties.adminTokenFile());
            entries.add(new Entry(sha256(token), new Identity("admin", Role.ADMIN)));
        }
    }

    /** The identity of a presented token, if it is one of ours. */
    public Optional<Identity> identify(String token) {
        byte[] hash = sha256(token);
        Identity found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), hash)) {
                found = e.identity();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Hex SHA-256 of a token, what {@code masktune.security.tokens[i].sha256} holds. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String generatedAdminToken(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!token.isEmpty()) {
                    log.info("No tokens configured: the admin token is in {} (send it as 'Authorization: Bearer <token>')",
                            file.toAbsolutePath());
                    return token;
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = "mt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            writeOwnerOnly(file, token + "\n");
            log.warn("No tokens configured: generated an admin token in {} (owner-only); send it as 'Authorization: Bearer <token>'"
                    + " and configure masktune.security.tokens for other users", file.toAbsolutePath());
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated admin token in " + file, e);
        }
    }

    /** Writes {@code content} to {@code file} created with rw------- (no window where others could read it). */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        boolean posix = parent.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        if (posix) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (posix) {
            Files.setPosixFilePermissions(file, ownerOnly);
        }
    }
}
