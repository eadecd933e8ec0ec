package org.masktune.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One status change of a job and why it happened, written through {@link Job#transitionTo}; or a note
 * while it keeps its status ({@link Job#note}, from = to), e.g. that imported weights lost their head.
 */
@Entity
@Table(name = "job_events")
public class JobEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "job_id")
    private Job job;

    @Column(nullable = false)
    private Instant at;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    private JobStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false)
    private JobStatus toStatus;

    @Column(nullable = false)
    private String reason;

    protected JobEvent() {
    }

    JobEvent(Job job, Instant at, JobStatus fromStatus, JobStatus toStatus, String reason) {
        this.job = job;
        this.at = at;
        this.fromStatus = fromStatus;
        this.toStatus = toStatus;
        this.reason = reason;
    }

    public Long getId() {
        return id;
    }

    public Instant getAt() {
        return at;
    }

    public JobStatus getFromStatus() {
        return fromStatus;
    }

    public JobStatus getToStatus() {
        return toStatus;
    }

    public String getReason() {
        return reason;
    }
}
