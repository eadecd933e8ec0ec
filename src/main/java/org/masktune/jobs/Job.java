package org.masktune.jobs;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A unit of work run by a worker in its own child JVM. Status only changes through
 * {@link #transitionTo}, which records the change and its reason as a {@link JobEvent}.
 * The {@code version} column doubles as the ETag and as the change counter long-polls wait on.
 */
@Entity
@Table(name = "jobs")
public class Job {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String type;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private JobStatus status;

    private int priority;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String config;

    @JdbcTypeCode(SqlTypes.JSON)
    private String result;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Column(name = "request_hash")
    private String requestHash;

    @Column(name = "pipeline_id")
    private UUID pipelineId;

    @Column(name = "submitted_by")
    private String submittedBy;

    private int attempt;

    @Column(name = "max_attempts")
    private int maxAttempts;

    private String device;

    private String worker;

    private double progress;

    @Column(name = "progress_message")
    private String progressMessage;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;

    @Column(name = "error_code")
    private String errorCode;

    @Column(name = "error_message")
    private String errorMessage;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private Long version;

    @OneToMany(mappedBy = "job", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<JobEvent> events = new ArrayList<>();

    protected Job() {
    }

    public Job(UUID id, String type, String configJson, int priority, int maxAttempts, Instant now) {
        this.id = id;
        this.type = type;
        this.config = configJson;
        this.priority = priority;
        this.maxAttempts = maxAttempts;
        this.status = JobStatus.QUEUED;
        this.createdAt = now;
        this.updatedAt = now;
        this.events.add(new JobEvent(this, now, null, JobStatus.QUEUED, "submitted"));
    }

    /**
     * Moves the job to {@code next} and records why.
     *
     * @throws InvalidJobStateException when the state machine does not allow the move
     */
    public void transitionTo(JobStatus next, String reason, Instant now) {
        if (!status.canMoveTo(next)) {
            throw new InvalidJobStateException(id, status, next);
        }
        events.add(new JobEvent(this, now, status, next, reason));
        status = next;
        updatedAt = now;
        switch (next) {
            case RUNNING -> {
                startedAt = now;
                progress = 0;
                progressMessage = null;
            }
            case QUEUED -> {
                device = null;
                worker = null;
            }
            case SUCCEEDED -> {
                progress = 1;
                finishedAt = now;
            }
            case FAILED, CANCELLED -> finishedAt = now;
        }
    }

    /** An event that keeps the status (from = to) and says what happened, e.g. that imported weights lost their head. */
    public void note(String reason, Instant now) {
        events.add(new JobEvent(this, now, status, status, reason));
        updatedAt = now;
    }

    /** QUEUED or RUNNING → RUNNING on a worker; counts the attempt. */
    public void start(String workerName, String deviceName, Instant now) {
        attempt++;
        transitionTo(JobStatus.RUNNING,
                "started on " + deviceName + " by " + workerName + " (attempt " + attempt + " of " + maxAttempts + ")", now);
        this.worker = workerName;
        this.device = deviceName;
    }

    /**
     * RUNNING → QUEUED because this job's service is shutting down, not because anything went wrong: the attempt it was
     * on is given back ({@code attempt} goes down by one), so the next start runs it again as the same attempt.
     */
    public void requeueUncounted(String reason, Instant now) {
        transitionTo(JobStatus.QUEUED, reason, now);
        attempt = Math.max(0, attempt - 1);
    }

    public void fail(String code, String message, Instant now) {
        errorCode = code;
        errorMessage = message;
        transitionTo(JobStatus.FAILED, code + ": " + message, now);
    }

    public void requestCancel(Instant now) {
        cancelRequested = true;
        updatedAt = now;
    }

    public void reportProgress(double fraction, String message, Instant now) {
        progress = Math.max(0, Math.min(1, fraction));
        progressMessage = message;
        updatedAt = now;
    }

    public void recordResult(String resultJson, Instant now) {
        result = resultJson;
        updatedAt = now;
    }

    public void setIdempotency(String key, String requestHash) {
        this.idempotencyKey = key;
        this.requestHash = requestHash;
    }

    public void setSubmittedBy(String submittedBy) {
        this.submittedBy = submittedBy;
    }

    public String getSubmittedBy() {
        return submittedBy;
    }

    public void setPipelineId(UUID pipelineId) {
        this.pipelineId = pipelineId;
    }

    public UUID getId() {
        return id;
    }

    public String getType() {
        return type;
    }

    public JobStatus getStatus() {
        return status;
    }

    public int getPriority() {
        return priority;
    }

    public String getConfig() {
        return config;
    }

    public String getResult() {
        return result;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public String getRequestHash() {
        return requestHash;
    }

    public UUID getPipelineId() {
        return pipelineId;
    }

    public int getAttempt() {
        return attempt;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public String getDevice() {
        return device;
    }

    public String getWorker() {
        return worker;
    }

    public double getProgress() {
        return progress;
    }

    public String getProgressMessage() {
        return progressMessage;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public long getVersion() {
        return version == null ? 0 : version;
    }

    public List<JobEvent> getEvents() {
        return events;
    }
}
