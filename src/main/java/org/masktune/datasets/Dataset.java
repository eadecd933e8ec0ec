package org.masktune.datasets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

/**
 * A registered dataset: its spec and the summary computed when it was validated. Rows are never
 * updated. The name is assigned, so the entity says itself whether it is new: saving a second
 * dataset under a taken name must fail on the primary key, not merge over the first.
 */
@Entity
@Table(name = "datasets")
class Dataset implements Persistable<String> {

    @Id
    private String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String spec;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String splits;

    @Column(nullable = false)
    private String fingerprint;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Transient
    private boolean isNew;

    protected Dataset() {
    }

    Dataset(String name, String specJson, String splitsJson, String fingerprint, Instant createdAt) {
        this.name = name;
        this.spec = specJson;
        this.splits = splitsJson;
        this.fingerprint = fingerprint;
        this.createdAt = createdAt;
        this.isNew = true;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    @Override
    public String getId() {
        return name;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    String getName() {
        return name;
    }

    String getSpec() {
        return spec;
    }

    String getSplits() {
        return splits;
    }

    String getFingerprint() {
        return fingerprint;
    }

    Instant getCreatedAt() {
        return createdAt;
    }
}
