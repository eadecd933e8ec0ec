package org.masktune.artifacts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A stored checkpoint file's metadata. Read-only here: {@link ArtifactStore} writes the rows and
 * the bytes with plain JDBC, and every query through this entity only sees complete checkpoints.
 */
@Entity
@Immutable
@Table(name = "artifacts")
public class Artifact {

    @Id
    private UUID id;

    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Column(nullable = false)
    private String kind;

    private Integer epoch;

    private String architecture;

    @Column(name = "chunk_size", nullable = false)
    private int chunkSize;

    @Column(name = "size_bytes")
    private Long sizeBytes;

    private String sha256;

    @JdbcTypeCode(SqlTypes.JSON)
    private String metadata;

    @Column(nullable = false)
    private boolean complete;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Artifact() {
    }

    public UUID getId() {
        return id;
    }

    public UUID getJobId() {
        return jobId;
    }

    /** best, last, finetuned, resume, ... ({@code [a-z0-9-]+}); a job has at most one visible checkpoint per kind. */
    public String getKind() {
        return kind;
    }

    public Integer getEpoch() {
        return epoch;
    }

    public String getArchitecture() {
        return architecture;
    }

    /** Bytes per stored chunk (the last one may be shorter). */
    public int getChunkSize() {
        return chunkSize;
    }

    public long getSizeBytes() {
        return sizeBytes == null ? 0 : sizeBytes;
    }

    /** Lower-case hex SHA-256 of the whole file. */
    public String getSha256() {
        return sha256;
    }

    /** JSON: what is needed to rebuild the model, and the run's provenance; may be null. */
    public String getMetadata() {
        return metadata;
    }

    public boolean isComplete() {
        return complete;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    int chunkCount() {
        return (int) ((getSizeBytes() + chunkSize - 1) / chunkSize);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + id + ", job " + jobId + ", " + kind + (epoch == null ? "" : ", epoch " + epoch)
                + ", " + sizeBytes + " bytes]";
    }
}
