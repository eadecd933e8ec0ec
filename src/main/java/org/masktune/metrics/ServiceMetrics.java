package org.masktune.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobFinished;
import org.masktune.jobs.JobHandlers;
import org.masktune.jobs.JobLookup;
import org.masktune.jobs.JobStatus;
import org.masktune.worker.DevicePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The service's gauges on {@code /actuator/prometheus}. Counts come from the database, so every instance reports
 * the same queue; they are read in one round of queries at most once per {@link #MAX_AGE}, however many gauges
 * a scrape reads. Worker slots are this instance's. Job durations are timed where the job finished.
 */
@Component
class ServiceMetrics implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(ServiceMetrics.class);
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private record Snapshot(Instant at, Map<String, Long> jobs, long queued, double oldestQueuedSeconds,
            long checkpointBytes, double trainingImagesPerSecond, long runningJobs) {
    }

    private final JdbcClient sql;
    private final JobHandlers handlers;
    private final DevicePool devices;
    private final JobLookup jobLookup;
    private final Clock clock;
    private volatile Snapshot snapshot;
    private MeterRegistry registry;

    ServiceMetrics(JdbcClient sql, JobHandlers handlers, DevicePool devices, JobLookup jobLookup, Clock clock) {
        this.sql = sql;
        this.handlers = handlers;
        this.devices = devices;
        this.jobLookup = jobLookup;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String type : handlers.types()) {
            for (JobStatus status : JobStatus.values()) {
                String key = type + "/" + status;
                gauge(registry, "masktune.jobs", "Jobs in the database by type and status",
                        s -> s.jobs().getOrDefault(key, 0L)).tags("type", type, "status", status.name()).register(registry);
            }
        }
        gauge(registry, "masktune.queue.depth", "Jobs waiting for a worker (QUEUED)", Snapshot::queued).register(registry);
        gauge(registry, "masktune.queue.oldest.age", "Seconds the oldest QUEUED job has waited (0 when none)",
                Snapshot::oldestQueuedSeconds).baseUnit("seconds").register(registry);
        gauge(registry, "masktune.jobs.running", "Jobs RUNNING on any instance", Snapshot::runningJobs).register(registry);
        gauge(registry, "masktune.checkpoints.stored", "Bytes of complete checkpoints stored in PostgreSQL",
                Snapshot::checkpointBytes).baseUnit("bytes").register(registry);
        gauge(registry, "masktune.training.images.per.second",
                "Sum over running train and masktune jobs of the images/s of their last finished epoch",
                Snapshot::trainingImagesPerSecond).register(registry);
        for (DevicePool.Slot slot : devices.slots()) {
            Gauge.builder("masktune.worker.slot.busy", slot, s -> s.job() == null ? 0 : 1)
                    .description("1 while this instance's worker slot runs a job, else 0")
                    .tags("device", slot.name(), "kind", slot.isGpu() ? "GPU" : "CPU").register(registry);
        }
        Gauge.builder("masktune.worker.slots", devices, d -> d.slots().stream().filter(s -> s.job() != null).count())
                .description("This instance's worker slots by state").tags("state", "busy").register(registry);
        Gauge.builder("masktune.worker.slots", devices, d -> d.slots().stream().filter(s -> s.job() == null).count())
                .description("This instance's worker slots by state").tags("state", "free").register(registry);
    }

    private Gauge.Builder<ServiceMetrics> gauge(MeterRegistry registry, String name, String description,
            ToDoubleFunction<Snapshot> value) {
        return Gauge.builder(name, this, m -> value.applyAsDouble(m.current())).description(description);
    }

    /** Times a finished job from its start (jobs cancelled while queued are not timed). */
    @EventListener
    void onFinished(JobFinished finished) {
        if (registry == null) {
            return;
        }
        jobLookup.find(finished.jobId()).ifPresent(job -> record(job));
        snapshot = null; // the next scrape sees the change at once
    }

    private void record(Job job) {
        if (job.getStartedAt() == null || job.getFinishedAt() == null) {
            return;
        }
        Timer.builder("masktune.job.duration").description("Wall time of finished jobs from start to end")
                .tags("type", job.getType(), "status", job.getStatus().name())
                .register(registry).record(Duration.between(job.getStartedAt(), job.getFinishedAt()));
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (s != null && Duration.between(s.at(), now).compareTo(MAX_AGE) < 0) {
            return s;
        }
        try {
            s = read(now);
        } catch (RuntimeException e) {
            log.warn("Could not read job metrics: {}", e.toString());
            s = s != null ? s : new Snapshot(now, Map.of(), 0, 0, 0, 0, 0);
        }
        snapshot = s;
        return s;
    }

    private Snapshot read(Instant now) {
        Map<String, Long> jobs = new HashMap<>();
        sql.sql("select type, status, count(*) from jobs group by type, status")
                .query((rs, i) -> jobs.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3))).list();
        double age = sql.sql("select coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)::float8 from jobs where status = 'QUEUED'")
                .query(Double.class).single();
        long checkpointBytes = sql.sql("select coalesce(sum(size_bytes), 0) from artifacts where complete")
                .query(Long.class).single();
        double imagesPerSecond = sql.sql("""
                select coalesce(sum(m.images_per_second), 0) from jobs j
                join lateral (select images_per_second from epoch_metrics e where e.job_id = j.id order by epoch desc limit 1) m on true
                where j.status = 'RUNNING'""").query(Double.class).single();
        long queued = jobs.entrySet().stream().filter(e -> e.getKey().endsWith("/QUEUED")).mapToLong(Map.Entry::getValue).sum();
        long running = jobs.entrySet().stream().filter(e -> e.getKey().endsWith("/RUNNING")).mapToLong(Map.Entry::getValue).sum();
        return new Snapshot(now, jobs, queued, Math.max(0, age), checkpointBytes, imagesPerSecond, running);
    }
}
