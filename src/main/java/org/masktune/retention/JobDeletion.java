package org.masktune.retention;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.masktune.evaluation.EvaluateConfig;
import org.masktune.jobs.InvalidJobStateException;
import org.masktune.jobs.JobNotFoundException;
import org.masktune.jobs.JobsDeleted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes finished jobs with everything they own: events, epoch metrics, checkpoints and their chunks, logs,
 * evaluation results (all by ON DELETE CASCADE from {@code jobs}). A job that an evaluation, a MaskTune job or a
 * pipeline still refers to is only deleted together with them ({@code cascade}); a queued or running job never.
 * Deleting a pipeline's job deletes the whole pipeline, since a pipeline missing a stage would create it again.
 */
@Service
public class JobDeletion {

    private static final Logger log = LoggerFactory.getLogger(JobDeletion.class);

    /** What a deletion removed. */
    public record Result(List<UUID> deletedJobs, List<UUID> deletedPipelines, long checkpoints, long checkpointBytes,
            long logBytes) {
    }

    private final JdbcClient sql;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final RetentionProperties properties;
    private final ExecutorService vacuums = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-vacuum");
        t.setDaemon(true);
        return t;
    });

    JobDeletion(JdbcClient sql, JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events,
            RetentionProperties properties) {
        this.sql = sql;
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.properties = properties;
    }

    /**
     * Deletes the job; with {@code cascade}, also every job and pipeline that refers to it, transitively.
     *
     * @throws JobNotFoundException       no such job
     * @throws JobHasDependantsException  others refer to it and cascade is false
     * @throws InvalidJobStateException   it, or a job to delete with it, has not finished
     */
    public Result delete(UUID id, boolean cascade) {
        Result result = tx.execute(status -> {
            if (sql.sql("select id from jobs where id = ? for update").param(id).query(UUID.class).optional().isEmpty()) {
                throw new JobNotFoundException(id);
            }
            Set<UUID> jobs = new LinkedHashSet<>();
            Set<UUID> pipelines = new LinkedHashSet<>();
            Deque<UUID> todo = new ArrayDeque<>(List.of(id));
            while (!todo.isEmpty()) {
                UUID job = todo.removeFirst();
                if (!jobs.add(job)) {
                    continue;
                }
                List<JobHasDependantsException.Dependant> dependants = dependants(job);
                dependants.removeIf(d -> d.kind().equals("job") ? jobs.contains(d.id()) : pipelines.contains(d.id()));
                if (!dependants.isEmpty() && !cascade) {
                    throw new JobHasDependantsException(job, dependants);
                }
                for (JobHasDependantsException.Dependant d : dependants) {
                    if (d.kind().equals("pipeline")) {
                        pipelines.add(d.id());
                        todo.addAll(sql.sql("select id from jobs where pipeline_id = ?").param(d.id()).query(UUID.class).list());
                    } else {
                        todo.add(d.id());
                    }
                }
            }
            List<UUID> ids = List.copyOf(jobs);
            List<Map<String, Object>> unfinished = sql.sql("""
                    select id, status from jobs where id in (:ids) and status not in ('SUCCEEDED', 'FAILED', 'CANCELLED')
                    for update""").param("ids", ids).query().listOfRows();
            if (!unfinished.isEmpty()) {
                Map<String, Object> first = unfinished.get(0);
                throw new InvalidJobStateException("job " + first.get("id") + " is " + first.get("status")
                        + (first.get("id").equals(id) ? "" : " (it would be deleted with " + id + ")")
                        + "; only finished jobs can be deleted: cancel it and delete it once it has ended");
            }
            Map<String, Object> checkpoints = sql.sql("""
                    select count(*) filter (where complete) as n, coalesce(sum(size_bytes) filter (where complete), 0) as bytes
                    from artifacts where job_id in (:ids)""").param("ids", ids).query().singleRow();
            long logBytes = sql.sql("select coalesce(sum(length(bytes)), 0) from job_logs where job_id in (:ids)")
                    .param("ids", ids).query(Long.class).single();
            // a job's own pipeline_id is set null by the FK when the pipeline goes first; delete jobs first anyway
            sql.sql("delete from jobs where id in (:ids)").param("ids", ids).update();
            if (!pipelines.isEmpty()) {
                sql.sql("delete from pipelines where id in (:ids)").param("ids", List.copyOf(pipelines)).update();
            }
            return new Result(ids, List.copyOf(pipelines), ((Number) checkpoints.get("n")).longValue(),
                    ((Number) checkpoints.get("bytes")).longValue(), logBytes);
        });
        events.publishEvent(new JobsDeleted(Set.copyOf(result.deletedJobs())));
        log.info("Deleted jobs {} and pipelines {}: {} checkpoints ({} bytes), {} log bytes", result.deletedJobs(),
                result.deletedPipelines(), result.checkpoints(), result.checkpointBytes(), result.logBytes());
        vacuumIfWorthIt(result.checkpointBytes());
        return result;
    }

    /** Who refers to the job: evaluations and MaskTune jobs that use it, and its pipeline. */
    List<JobHasDependantsException.Dependant> dependants(UUID job) {
        List<JobHasDependantsException.Dependant> found = new ArrayList<>();
        String text = job.toString();
        sql.sql("""
                select id, type from jobs j
                where j.id <> :job and (
                      (j.type = 'masktune' and j.config ->> 'sourceJob' = :text)
                   or (j.type = 'evaluate' and j.config -> 'models' @> jsonb_build_array(jsonb_build_object('job', :text)))
                   or (j.type = 'evaluate' and exists (select 1 from artifacts c where c.job_id = :job
                          and j.config -> 'models' @> jsonb_build_array(jsonb_build_object('checkpoint', c.id::text))))
                   or exists (select 1 from evaluations e where e.id = j.id
                          and e.models @> jsonb_build_array(jsonb_build_object('job', :text))))
                order by created_at""")
                .param("job", job).param("text", text)
                .query((rs, i) -> new JobHasDependantsException.Dependant("job", rs.getObject(1, UUID.class),
                        EvaluateConfig.TYPE.is(rs.getString(2)) ? "evaluates it" : "fine-tunes it"))
                .list().forEach(found::add);
        sql.sql("select pipeline_id from jobs where id = ? and pipeline_id is not null").param(job).query(UUID.class).optional()
                .ifPresent(p -> found.add(new JobHasDependantsException.Dependant("pipeline", p, "is one of its stages")));
        return found;
    }

    /**
     * Deleted chunks are dead tuples until VACUUM; autovacuum gets to them by itself (after 20 % of the table
     * changed, by default), but after a large deletion a plain VACUUM now makes the space reusable at once and
     * returns empty pages at the end of the table files. Plain VACUUM takes no lock that blocks reads or writes.
     */
    void vacuumIfWorthIt(long freedBytes) {
        if (properties.vacuumAfterDelete() && freedBytes >= properties.vacuumThreshold().toBytes()) {
            vacuums.execute(this::vacuumNow);
        }
    }

    /** VACUUM of the tables that hold bytes; runs outside a transaction (autocommit), as VACUUM must. */
    public void vacuumNow() {
        try {
            jdbc.execute("VACUUM (ANALYZE) artifact_chunks");
            jdbc.execute("VACUUM (ANALYZE) job_logs");
        } catch (RuntimeException e) {
            log.warn("VACUUM after a deletion failed (autovacuum will get to it): {}", e.toString());
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        vacuums.shutdownNow();
    }
}
