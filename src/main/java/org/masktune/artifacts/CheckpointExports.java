package org.masktune.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.masktune.ml.interop.SafetensorsExport;
import org.masktune.ml.train.CheckpointFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkpoints as safetensors with PyTorch names, made from the stored native bytes without an engine
 * ({@link SafetensorsExport}) and cached on local disk under {@code masktune.checkpoints.export-dir},
 * keyed by checkpoint id (a stored checkpoint never changes; a replacement has a new id). The export
 * is deterministic, so every instance computes the same bytes, SHA-256 and ETag for a checkpoint
 * without sharing a filesystem. The cache keeps at most {@code export-cache-size} bytes, oldest
 * used first out.
 */
@Service
public class CheckpointExports {

    /** A safetensors export: its file (read-only, may be evicted later), size and SHA-256 (lower-case hex). */
    public record Export(Path file, long size, String sha256) {
    }

    private static final Logger log = LoggerFactory.getLogger(CheckpointExports.class);

    private final ArtifactStore store;
    private final JsonMapper json;
    private final Path dir;
    private final long maxBytes;

    CheckpointExports(ArtifactStore store, JsonMapper json, ArtifactsProperties properties) {
        this.store = store;
        this.json = json;
        this.dir = properties.exportDir().toAbsolutePath().normalize();
        this.maxBytes = properties.exportCacheSize().toBytes();
    }

    /**
     * The checkpoint as safetensors, from the cache or made now (streamed from the database, the
     * native SHA-256 verified on the way).
     *
     * @throws CheckpointNotExportableException when the stored bytes are not a model checkpoint this build reads
     * @throws ArtifactCorruptException       when the stored bytes do not match their recorded digest
     */
    public Export safetensors(Artifact checkpoint) {
        Path file = dir.resolve(checkpoint.getId() + ".safetensors");
        Path digest = dir.resolve(checkpoint.getId() + ".safetensors.sha256");
        try {
            if (Files.isRegularFile(file) && Files.isRegularFile(digest)) {
                String sha256 = Files.readString(digest).trim();
                Files.setLastModifiedTime(digest, FileTime.from(Instant.now()));
                return new Export(file, Files.size(file), sha256);
            }
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, checkpoint.getId() + ".", ".part");
            try {
                String sha256 = write(checkpoint, partial);
                Path partialDigest = Files.writeString(Files.createTempFile(dir, checkpoint.getId() + ".", ".sha256.part"), sha256);
                move(partial, file);
                move(partialDigest, digest);
                evict(file);
                return new Export(file, Files.size(file), sha256);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not export checkpoint " + checkpoint.getId() + " as safetensors", e);
        }
    }

    /** Copies the export to {@code target} (for staging into a job's work directory). */
    public Export copyTo(UUID checkpointId, Path target) {
        Artifact checkpoint = store.find(checkpointId).orElseThrow(() -> new ArtifactNotFoundException(checkpointId));
        Export export = safetensors(checkpoint);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(export.file(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stage the safetensors of checkpoint " + checkpointId, e);
        }
        return new Export(target, export.size(), export.sha256());
    }

    private String write(Artifact checkpoint, Path partial) throws IOException {
        MessageDigest nativeDigest = ArtifactStore.sha256();
        MessageDigest outDigest = ArtifactStore.sha256();
        try (InputStream stored = new DigestInputStream(store.openRange(checkpoint, 0, checkpoint.getSizeBytes()), nativeDigest);
                OutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(partial), 1 << 16),
                        outDigest)) {
            try {
                SafetensorsExport.export(stored, out, provenance(checkpoint));
            } catch (CheckpointFormatException e) {
                throw new CheckpointNotExportableException(checkpoint.getId(), e.getMessage());
            }
            stored.transferTo(OutputStream.nullOutputStream());
        }
        String actual = HexFormat.of().formatHex(nativeDigest.digest());
        if (!actual.equals(checkpoint.getSha256())) {
            throw new ArtifactCorruptException(checkpoint.getId(), checkpoint.getSha256(), actual, checkpoint.getSizeBytes(),
                    checkpoint.getSizeBytes());
        }
        return HexFormat.of().formatHex(outDigest.digest());
    }

    /** What the checkpoint row says about where the model comes from. */
    private Map<String, String> provenance(Artifact checkpoint) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("checkpoint_id", checkpoint.getId().toString());
        m.put("checkpoint_sha256", checkpoint.getSha256());
        m.put("checkpoint_kind", checkpoint.getKind());
        m.put("job_id", checkpoint.getJobId().toString());
        if (checkpoint.getEpoch() != null) {
            m.put("epoch", checkpoint.getEpoch().toString());
        }
        if (checkpoint.getMetadata() != null) {
            JsonNode provenance = json.readTree(checkpoint.getMetadata()).path("provenance");
            if (!provenance.isMissingNode()) {
                m.put("provenance", json.writeValueAsString(provenance));
            }
        }
        return m;
    }

    /** Deletes the least recently used exports beyond the cache size, never {@code keep}. */
    private void evict(Path keep) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> exports = files.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                    .sorted(Comparator.comparing(CheckpointExports::lastUsed).reversed()).toList();
            long total = 0;
            for (Path p : exports) {
                total += Files.size(p);
                if (total > maxBytes && !p.equals(keep)) {
                    Files.deleteIfExists(p.resolveSibling(p.getFileName() + ".sha256"));
                    Files.deleteIfExists(p);
                    log.info("Evicted safetensors export {} from the cache", p.getFileName());
                }
            }
        } catch (IOException e) {
            log.warn("Could not trim the export cache {}: {}", dir, e.getMessage());
        }
    }

    private static FileTime lastUsed(Path export) {
        try {
            Path digest = export.resolveSibling(export.getFileName() + ".sha256");
            return Files.getLastModifiedTime(Files.exists(digest) ? digest : export);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
