package org.masktune.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.masktune.jobs.JobNotFoundException;
import org.masktune.jobs.JobLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Artifact files in PostgreSQL, split into 1 MiB {@code bytea} chunks, so any instance can serve
 * or stage any checkpoint without a shared filesystem. Bytes only ever pass through one chunk-sized
 * buffer: files are streamed in, downloads and staging stream out.
 *
 * <p><b>Visibility.</b> A write inserts a header row with {@code complete = false}, commits its
 * chunks in groups of {@value #CHUNKS_PER_TRANSACTION}, then publishes in one short transaction:
 * record size and digest, delete the checkpoint of the same job and kind it replaces, set
 * {@code complete = true}. Every read filters on {@code complete}, so readers see the old checkpoint
 * until that commit and the new one after it, never a mix, and a crash before it leaves nothing
 * visible. Publishing separately (rather than flipping the flag with the last chunk) keeps
 * replacement and visibility in one place, and committing chunks in groups keeps no transaction
 * open for the length of a multi-GB write. Leftovers of crashed writers are deleted by
 * {@link #removeIncomplete} (run every stale-after) and by the next {@link #store} for the same job, once older than
 * {@link ArtifactsProperties#staleAfter()}.
 */
@Service
public class ArtifactStore {

    public static final int CHUNK_SIZE = 1 << 20;
    static final int CHUNKS_PER_TRANSACTION = 16;

    private static final Logger log = LoggerFactory.getLogger(ArtifactStore.class);
    private static final Pattern KIND = Pattern.compile("[a-z0-9-]+");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ArtifactRepository checkpoints;
    private final JobLookup jobs;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration staleAfter;

    public ArtifactStore(JdbcTemplate jdbc, TransactionTemplate tx, ArtifactRepository checkpoints, JobLookup jobs,
            JsonMapper json, Clock clock, ArtifactsProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.json = json;
        this.clock = clock;
        this.staleAfter = properties.staleAfter();
    }

    /**
     * Streams {@code file} into the database as the job's checkpoint of this kind, replacing the
     * previous one of the same kind once the new one is completely written.
     *
     * @param kind         best, last, finetuned, resume, ... ({@code [a-z0-9-]+})
     * @param epoch        the epoch it was taken after, or null
     * @param metadataJson JSON needed to rebuild the model plus provenance, or null
     * @return the now visible checkpoint
     * @throws JobNotFoundException     when the job does not exist
     * @throws IllegalArgumentException for a bad kind, missing file or malformed metadata JSON
     * @throws UncheckedIOException     when the file cannot be read (nothing becomes visible)
     */
    public Artifact store(UUID jobId, String kind, Integer epoch, String architecture, Path file, String metadataJson) {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(file, "file");
        requireKind(kind);
        requireJson(metadataJson);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint file " + file + " does not exist or is not a regular file");
        }
        if (!jobs.exists(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        int removed = jdbc.update("delete from artifacts where job_id = ? and not complete and created_at < ?",
                jobId, timestamp(clock.instant().minus(staleAfter)));
        if (removed > 0) {
            log.info("Removed {} abandoned incomplete checkpoint(s) of job {}", removed, jobId);
        }

        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into artifacts (id, job_id, kind, epoch, architecture, chunk_size, metadata, complete, created_at)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, false, ?)""",
                id, jobId, kind, epoch, architecture, CHUNK_SIZE, metadataJson, timestamp(clock.instant()));
        boolean published = false;
        try {
            ChunkWriter writer = new ChunkWriter(id, file);
            writer.writeAll();
            publish(id, jobId, kind, writer.size, HexFormat.of().formatHex(writer.sha256.digest()));
            published = true;
        } finally {
            if (!published) {
                discard(id);
            }
        }
        Artifact stored = checkpoints.findComplete(id).orElseThrow();
        log.info("Stored {} from {}", stored, file);
        return stored;
    }

    /**
     * Streams the checkpoint into {@code target} and verifies its SHA-256 before the file appears
     * (written beside it, then moved). On any failure {@code target} does not exist afterwards.
     *
     * @throws ArtifactNotFoundException when there is no complete checkpoint with this id
     * @throws ArtifactCorruptException  when the stored bytes do not match the recorded digest
     */
    public void copyTo(UUID checkpointId, Path target) {
        Artifact checkpoint = find(checkpointId).orElseThrow(() -> new ArtifactNotFoundException(checkpointId));
        Path partial = null;
        try {
            Files.deleteIfExists(target);
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            partial = Files.createTempFile(dir, target.getFileName().toString() + ".", ".part");
            MessageDigest sha256 = sha256();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                for (int seq = 0; seq < checkpoint.chunkCount(); seq++) {
                    byte[] chunk = readChunk(checkpointId, seq, 0, checkpoint.getChunkSize());
                    if (chunk == null) {
                        break;
                    }
                    sha256.update(chunk);
                    out.write(chunk);
                    size += chunk.length;
                }
            }
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (size != checkpoint.getSizeBytes() || !actual.equals(checkpoint.getSha256())) {
                markCorrupt(checkpointId);
                throw new ArtifactCorruptException(checkpointId, checkpoint.getSha256(), actual, checkpoint.getSizeBytes(), size);
            }
            move(partial, target);
            partial = null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy checkpoint " + checkpointId + " to " + target, e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    log.warn("Could not delete partial copy {} of checkpoint {}", partial, checkpointId, e);
                }
            }
        }
    }

    public Optional<Artifact> find(UUID id) {
        return checkpoints.findComplete(id);
    }

    /** The job's complete checkpoints, oldest first; empty for an unknown job. */
    public List<Artifact> forJob(UUID jobId) {
        return checkpoints.findCompleteByJob(jobId);
    }

    public Optional<Artifact> forJob(UUID jobId, String kind) {
        return checkpoints.findCompleteByJobAndKind(jobId, kind);
    }

    /**
     * A lazy stream over bytes {@code [offset, offset + length)} of the checkpoint: it reads only the
     * chunks overlapping the range, one at a time, each in its own short query (no connection or
     * transaction is held while the caller writes to a slow client). If the checkpoint is replaced
     * while being read, reading fails with an {@link IOException} rather than returning other bytes.
     */
    public InputStream openRange(Artifact checkpoint, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > checkpoint.getSizeBytes()) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " is outside checkpoint " + checkpoint.getId()
                    + " of " + checkpoint.getSizeBytes() + " bytes");
        }
        return new RangeInputStream(checkpoint, offset, offset + length);
    }

    /**
     * Deletes incomplete checkpoints (their writers crashed) begun more than {@code olderThan} ago.
     *
     * @return how many were deleted
     */
    /** Every {@code stale-after}, on every instance (the delete is idempotent): what crashed writers left behind. */
    @Scheduled(fixedDelayString = "${masktune.checkpoints.stale-after:1h}", initialDelayString = "${masktune.checkpoints.stale-after:1h}")
    void removeAbandoned() {
        removeIncomplete(staleAfter);
    }

    public int removeIncomplete(Duration olderThan) {
        int removed = jdbc.update("delete from artifacts where not complete and created_at < ?",
                timestamp(clock.instant().minus(olderThan)));
        if (removed > 0) {
            log.info("Removed {} abandoned incomplete checkpoint(s)", removed);
        }
        return removed;
    }

    private void publish(UUID id, UUID jobId, String kind, long size, String sha256) {
        tx.executeWithoutResult(status -> {
            // Serialises publishers of the same job and kind, so the partial unique index never trips.
            jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "checkpoint:" + jobId + ":" + kind);
            jdbc.update("delete from artifacts where job_id = ? and kind = ? and complete", jobId, kind);
            int updated = jdbc.update("update artifacts set size_bytes = ?, sha256 = ?, complete = true where id = ? and not complete",
                    size, sha256, id);
            if (updated != 1) {
                throw new IllegalStateException("checkpoint " + id + " of job " + jobId + " was deleted while being written"
                        + " (taken for abandoned: raise masktune.checkpoints.stale-after above the longest write)");
            }
        });
    }

    private void discard(UUID id) {
        try {
            jdbc.update("delete from artifacts where id = ? and not complete", id);
        } catch (DataAccessException e) {
            log.warn("Could not delete incomplete checkpoint {}; removeIncomplete will", id, e);
        }
    }

    /** A slice of one chunk ({@code from} is 0-based), or null when the chunk does not exist. */
    /** Records that the checkpoint's bytes do not match its digest; it is refused from then on. */
    public void markCorrupt(UUID checkpointId) {
        if (jdbc.update("update artifacts set corrupt_at = now() where id = ? and corrupt_at is null", checkpointId) > 0) {
            log.error("Checkpoint {} does not match its recorded SHA-256; marked corrupt", checkpointId);
        }
    }

    /** Whether the checkpoint was found corrupt by an earlier read. */
    public boolean isMarkedCorrupt(UUID checkpointId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select corrupt_at is not null from artifacts where id = ?", Boolean.class,
                checkpointId));
    }

    /** A chunk whose bytes no longer hash to the SHA-256 recorded for it. */
    static final class ChunkCorruptException extends IOException {
        ChunkCorruptException(UUID checkpointId, int seq) {
            super("chunk " + seq + " of checkpoint " + checkpointId + " does not match its recorded SHA-256");
        }
    }

    /** Part of a chunk, or null when the chunk is gone; false in {@code intact} when its bytes do not match its hash. */
    private byte[] readCheckedChunk(UUID checkpointId, int seq, int from, int length, boolean[] intact) {
        return jdbc.query("select substring(bytes from ? for ?), sha256 is null or sha256(bytes) = sha256"
                + " from artifact_chunks where artifact_id = ? and seq = ?", rs -> {
                    if (!rs.next()) {
                        return null;
                    }
                    intact[0] = rs.getBoolean(2);
                    return rs.getBytes(1);
                }, from + 1, length, checkpointId, seq);
    }

    private byte[] readChunk(UUID checkpointId, int seq, int from, int length) {
        return jdbc.query("select substring(bytes from ? for ?) from artifact_chunks where artifact_id = ? and seq = ?",
                rs -> rs.next() ? rs.getBytes(1) : null, from + 1, length, checkpointId, seq);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void requireKind(String kind) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("checkpoint kind '" + kind + "' must match [a-z0-9-]+ (e.g. best, last, resume)");
        }
    }

    private void requireJson(String metadataJson) {
        if (metadataJson == null) {
            return;
        }
        try {
            json.readTree(metadataJson);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("checkpoint metadata is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Reads the file one chunk at a time, hashing as it goes, committing every few chunks. */
    private final class ChunkWriter {

        private final UUID id;
        private final Path file;
        private final MessageDigest sha256 = sha256();
        private final byte[] buffer = new byte[CHUNK_SIZE];
        private long size;
        private int seq;
        private boolean eof;

        ChunkWriter(UUID id, Path file) {
            this.id = id;
            this.file = file;
        }

        void writeAll() {
            try (InputStream in = Files.newInputStream(file)) {
                while (!eof) {
                    tx.executeWithoutResult(status -> {
                        for (int i = 0; i < CHUNKS_PER_TRANSACTION && !eof; i++) {
                            writeNext(in);
                        }
                    });
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read checkpoint file " + file, e);
            }
        }

        private void writeNext(InputStream in) {
            int n;
            try {
                n = in.readNBytes(buffer, 0, CHUNK_SIZE);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read checkpoint file " + file, e);
            }
            if (n < CHUNK_SIZE) {
                eof = true;
            }
            if (n == 0) {
                return;
            }
            sha256.update(buffer, 0, n);
            byte[] bytes = n == CHUNK_SIZE ? buffer : Arrays.copyOf(buffer, n);
            int chunk = seq;
            byte[] chunkSha256 = sha256().digest(bytes);
            jdbc.update("insert into artifact_chunks (artifact_id, seq, bytes, sha256) values (?, ?, ?, ?)", ps -> {
                ps.setObject(1, id);
                ps.setInt(2, chunk);
                ps.setBytes(3, bytes);
                ps.setBytes(4, chunkSha256);
            });
            seq++;
            size += n;
        }
    }

    /** Lazily reads the chunks overlapping [position, end), one slice per query. */
    private final class RangeInputStream extends InputStream {

        private final Artifact checkpoint;
        private final long end;
        private long position;
        private byte[] slice = new byte[0];
        private int index;

        RangeInputStream(Artifact checkpoint, long start, long end) {
            this.checkpoint = checkpoint;
            this.position = start;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return slice[index++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, slice.length - index);
            System.arraycopy(slice, index, b, off, n);
            index += n;
            return n;
        }

        @Override
        public int available() {
            return slice.length - index;
        }

        private boolean fill() throws IOException {
            if (index < slice.length) {
                return true;
            }
            if (position >= end) {
                return false;
            }
            int chunkSize = checkpoint.getChunkSize();
            int seq = (int) (position / chunkSize);
            int from = (int) (position % chunkSize);
            int length = (int) Math.min(chunkSize - from, end - position);
            byte[] next;
            boolean[] intact = {true};
            try {
                next = readCheckedChunk(checkpoint.getId(), seq, from, length, intact);
                if (!intact[0]) {
                    markCorrupt(checkpoint.getId());
                    throw new ChunkCorruptException(checkpoint.getId(), seq);
                }
            } catch (DataAccessException e) {
                throw new IOException("could not read chunk " + seq + " of checkpoint " + checkpoint.getId(), e);
            }
            if (next == null || next.length != length) {
                throw new IOException("chunk " + seq + " of checkpoint " + checkpoint.getId() + " is "
                        + (next == null ? "gone (the checkpoint was replaced or deleted while being read)" : "shorter than recorded"));
            }
            slice = next;
            index = 0;
            position += length;
            return true;
        }
    }
}
