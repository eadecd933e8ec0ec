package org.masktune.retention;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.masktune.jobs.JobNotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What jobs keep in the database: checkpoint bytes and log bytes, per job and in total. */
@Component
public class Storage {

    public record JobStorage(UUID job, long checkpoints, long checkpointBytes, long logBytes, long totalBytes,
            Instant artifactsDeletedAt) {
    }

    /**
     * @param checkpointChunksTableBytes what the chunk table takes on disk with its TOAST table and indexes, dead
     *                                   rows included until VACUUM (PostgreSQL's {@code pg_total_relation_size})
     * @param databaseBytes              the whole database ({@code pg_database_size})
     */
    public record Totals(long jobs, long checkpoints, long checkpointBytes, long logBytes, long totalBytes,
            long checkpointChunksTableBytes, long databaseBytes) {
    }

    private final JdbcClient sql;

    Storage(JdbcClient sql) {
        this.sql = sql;
    }

    public JobStorage job(UUID id) {
        Map<String, Object> row = sql.sql("""
                select j.artifacts_deleted_at,
                       (select count(*) from artifacts c where c.job_id = j.id and c.complete) as checkpoints,
                       (select coalesce(sum(size_bytes), 0) from artifacts c where c.job_id = j.id and c.complete) as checkpoint_bytes,
                       (select coalesce(sum(length(bytes)), 0) from job_logs l where l.job_id = j.id) as log_bytes
                from jobs j where j.id = ?""").param(id).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> new JobNotFoundException(id));
        long checkpointBytes = ((Number) row.get("checkpoint_bytes")).longValue();
        long logBytes = ((Number) row.get("log_bytes")).longValue();
        java.sql.Timestamp deleted = (java.sql.Timestamp) row.get("artifacts_deleted_at");
        return new JobStorage(id, ((Number) row.get("checkpoints")).longValue(), checkpointBytes, logBytes,
                checkpointBytes + logBytes, deleted == null ? null : deleted.toInstant());
    }

    public Totals totals() {
        Map<String, Object> row = sql.sql("""
                select (select count(*) from jobs) as jobs,
                       (select count(*) from artifacts where complete) as checkpoints,
                       (select coalesce(sum(size_bytes), 0) from artifacts where complete) as checkpoint_bytes,
                       (select coalesce(sum(length(bytes)), 0) from job_logs) as log_bytes,
                       pg_total_relation_size('artifact_chunks') as chunk_table,
                       pg_database_size(current_database()) as database""").query().singleRow();
        long checkpointBytes = ((Number) row.get("checkpoint_bytes")).longValue();
        long logBytes = ((Number) row.get("log_bytes")).longValue();
        return new Totals(((Number) row.get("jobs")).longValue(), ((Number) row.get("checkpoints")).longValue(),
                checkpointBytes, logBytes, checkpointBytes + logBytes, ((Number) row.get("chunk_table")).longValue(),
                ((Number) row.get("database")).longValue());
    }

    /** Checkpoint bytes stored, for the metrics gauge. */
    public long checkpointBytes() {
        return sql.sql("select coalesce(sum(size_bytes), 0) from artifacts where complete").query(Long.class).single();
    }
}
