package org.masktune.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With {@code masktune.retention.artifacts-after} set, deletes the checkpoints (with their chunks) and logs of jobs
 * that finished longer ago, in batches, and marks each such job ({@code artifacts_deleted_at}); the job rows, their
 * events, epoch metrics and evaluation results stay. Safe on several instances at once: every step is idempotent.
 */
@Component
public class RetentionSweeper {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    private static final int BATCH = 50;

    private final JdbcClient sql;
    private final TransactionTemplate tx;
    private final RetentionProperties properties;
    private final JobDeletion deletion;
    private final Clock clock;

    RetentionSweeper(JdbcClient sql, TransactionTemplate tx, RetentionProperties properties, JobDeletion deletion, Clock clock) {
        this.sql = sql;
        this.tx = tx;
        this.properties = properties;
        this.deletion = deletion;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${masktune.retention.interval:1h}", initialDelayString = "${masktune.retention.interval:1h}")
    void scheduled() {
        if (properties.artifactsAfter() != null) {
            try {
                sweep(properties.artifactsAfter());
            } catch (RuntimeException e) {
                log.warn("Retention sweep failed; the next one retries: {}", e.toString());
            }
        }
    }

    /** What one sweep removed. */
    public record Swept(int jobs, long checkpoints, long checkpointBytes, long logBytes) {
    }

    /** Deletes the artifacts of jobs finished more than {@code olderThan} ago. */
    public Swept sweep(Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        int jobs = 0;
        long checkpoints = 0;
        long bytes = 0;
        long logBytes = 0;
        while (true) {
            Swept batch = tx.execute(status -> {
                List<UUID> ids = sql.sql("""
                        select id from jobs
                        where finished_at < ? and artifacts_deleted_at is null
                        order by finished_at limit ? for update skip locked""")
                        .param(Timestamp.from(cutoff)).param(BATCH).query(UUID.class).list();
                if (ids.isEmpty()) {
                    return new Swept(0, 0, 0, 0);
                }
                var sizes = sql.sql("select count(*), coalesce(sum(size_bytes), 0) from artifacts where job_id in (:ids) and complete")
                        .param("ids", ids).query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
                long logs = sql.sql("select coalesce(sum(length(bytes)), 0) from job_logs where job_id in (:ids)")
                        .param("ids", ids).query(Long.class).single();
                sql.sql("delete from artifacts where job_id in (:ids)").param("ids", ids).update();
                sql.sql("delete from job_logs where job_id in (:ids)").param("ids", ids).update();
                sql.sql("update jobs set artifacts_deleted_at = :at where id in (:ids)")
                        .param("at", Timestamp.from(clock.instant())).param("ids", ids).update();
                return new Swept(ids.size(), sizes[0], sizes[1], logs);
            });
            if (batch.jobs() == 0) {
                break;
            }
            jobs += batch.jobs();
            checkpoints += batch.checkpoints();
            bytes += batch.checkpointBytes();
            logBytes += batch.logBytes();
        }
        if (jobs > 0) {
            log.info("Retention: deleted the artifacts of {} jobs finished before {}: {} checkpoints ({} bytes), {} log bytes",
                    jobs, cutoff, checkpoints, bytes, logBytes);
            deletion.vacuumIfWorthIt(bytes);
        }
        return new Swept(jobs, checkpoints, bytes, logBytes);
    }
}
