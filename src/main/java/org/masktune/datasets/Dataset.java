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
 * A registered dataset: its spec, its preparation status (the decode into the cache runs after the
 * registration has answered) and the summary computed once it was read. Only the preparation
 * updates a row; the spec never changes. The name is assigned, so the entity says itself whether it is new: saving a second
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
    private String splits;

    private String fingerprint;

    @Column(nullable = false)
    private String status;

    @Column(name = "images_done", nullable = false)
    private long imagesDone;

    @Column(name = "images_total")
    private Long imagesTotal;

    @Column(name = "error_file")
    private String errorFile;

    @Column(name = "error_message")
    private String errorMessage;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Transient
    private boolean isNew;

    protected Dataset() {
    }

    /** A dataset whose data is still to be read: status PREPARING, no summary yet. */
    Dataset(String name, String specJson, Instant createdAt) {
        this.name = name;
        this.spec = specJson;
        this.status = DatasetStatus.PREPARING.name();
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
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

    DatasetStatus getStatus() {
        return DatasetStatus.valueOf(status);
    }

    long getImagesDone() {
        return imagesDone;
    }

    Long getImagesTotal() {
        return imagesTotal;
    }

    String getErrorFile() {
        return errorFile;
    }

    String getErrorMessage() {
        return errorMessage;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    void ready(String splitsJson, String fingerprint, Instant now) {
        this.status = DatasetStatus.READY.name();
        this.splits = splitsJson;
        this.fingerprint = fingerprint;
        this.imagesTotal = imagesTotal == null ? imagesDone : imagesTotal;
        this.imagesDone = imagesTotal;
        this.updatedAt = now;
    }

    void failed(String file, String message, Instant now) {
        this.status = DatasetStatus.FAILED.name();
        this.errorFile = file;
        this.errorMessage = message;
        this.updatedAt = now;
    }
}
