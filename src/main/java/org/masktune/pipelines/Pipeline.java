package org.masktune.pipelines;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A request that became several linked jobs. Its status is derived from theirs (see {@link PipelineView}). */
@Entity
@Table(name = "pipelines")
public class Pipeline {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String kind;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String config;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private Long version;

    protected Pipeline() {
    }

    Pipeline(UUID id, String kind, String config, String idempotencyKey, Instant now) {
        this.id = id;
        this.kind = kind;
        this.config = config;
        this.idempotencyKey = idempotencyKey;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void requestCancel(Instant now) {
        cancelRequested = true;
        updatedAt = now;
    }

    public UUID getId() {
        return id;
    }

    public String getKind() {
        return kind;
    }

    public String getConfig() {
        return config;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
