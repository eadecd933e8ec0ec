package org.masktune.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker pool of this instance.
 *
 * @param cpuSlots              jobs run at once when no GPU is found
 * @param gpus                  GPU indices to use; unset = every GPU DJL finds (one job per GPU)
 * @param pollInterval          how often idle workers look for queued jobs (submits on this instance wake them at once)
 * @param heartbeatInterval     how often a running job's worker proves it is alive
 * @param missedHeartbeatsLimit missed heartbeats after which another instance takes the job over
 * @param childJvmOptions       JVM options of each job's child JVM
 * @param workDir               scratch space for child JVMs (inputs, checkpoint files before upload)
 * @param cancelGracePeriod     how long a running child may take to stop after a cancel before it is killed
 * @param requestThreadNice     nice value (0–19) of threads serving HTTP requests on Linux, so that a flood of
 *                              polls cannot take the CPU from the jobs' child JVMs (which keep nice 0); 0 = off
 * @param stallTimeout          a running job whose child prints nothing (no progress, no event) for this long is
 *                              killed and failed as STALLED; 0 = never
 * @param loaderThreads         threads of each child JVM that decode, augment and normalise batches ahead of the
 *                              model; 0 = on the training thread, no overlap; unset = half the cores, at least 1 and
 *                              at most 8 (results do not depend on it)
 * @param shutdownGracePeriod   on shutdown (SIGTERM), how long running jobs have to stop at their next batch before
 *                              their child JVMs are killed; either way their jobs are re-queued at once for another
 *                              instance (or this one after its restart), without counting an attempt
 */
@ConfigurationProperties("masktune.worker")
public record WorkerProperties(
        @DefaultValue("1") int cpuSlots,
        List<Integer> gpus,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10s") Duration heartbeatInterval,
        @DefaultValue("6") int missedHeartbeatsLimit,
        @DefaultValue("-Xmx4g -XX:+UseParallelGC") String childJvmOptions,
        @DefaultValue("./data/work") Path workDir,
        @DefaultValue("30s") Duration cancelGracePeriod,
        @DefaultValue("10") int requestThreadNice,
        @DefaultValue("15m") Duration stallTimeout,
        Integer loaderThreads,
        @DefaultValue("20s") Duration shutdownGracePeriod) {

    /** Without a stall timeout (the default of 15 minutes) and loader threads (the default from the cores). */
    public WorkerProperties(int cpuSlots, List<Integer> gpus, Duration pollInterval, Duration heartbeatInterval,
            int missedHeartbeatsLimit, String childJvmOptions, Path workDir, Duration cancelGracePeriod, int requestThreadNice) {
        this(cpuSlots, gpus, pollInterval, heartbeatInterval, missedHeartbeatsLimit, childJvmOptions, workDir, cancelGracePeriod,
                requestThreadNice, Duration.ofMinutes(15), null, Duration.ofSeconds(20));
    }

    /** With the default shutdown grace of 20 s. */
    public WorkerProperties(int cpuSlots, List<Integer> gpus, Duration pollInterval, Duration heartbeatInterval,
            int missedHeartbeatsLimit, String childJvmOptions, Path workDir, Duration cancelGracePeriod, int requestThreadNice,
            Duration stallTimeout, Integer loaderThreads) {
        this(cpuSlots, gpus, pollInterval, heartbeatInterval, missedHeartbeatsLimit, childJvmOptions, workDir, cancelGracePeriod,
                requestThreadNice, stallTimeout, loaderThreads, Duration.ofSeconds(20));
    }

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public WorkerProperties {
        if (cpuSlots < 1) {
            throw new IllegalArgumentException("masktune.worker.cpu-slots must be at least 1");
        }
        if (missedHeartbeatsLimit < 4) { // db-scheduler's own lower bound
            throw new IllegalArgumentException("masktune.worker.missed-heartbeats-limit must be at least 4");
        }
        if (requestThreadNice < 0 || requestThreadNice > 19) { // lowering it below 0 needs privileges
            throw new IllegalArgumentException("masktune.worker.request-thread-nice must be 0..19");
        }
        if (loaderThreads != null && (loaderThreads < 0 || loaderThreads > 64)) {
            throw new IllegalArgumentException("masktune.worker.loader-threads must be 0..64");
        }
        if (shutdownGracePeriod == null) {
            shutdownGracePeriod = Duration.ofSeconds(20);
        } else if (shutdownGracePeriod.isNegative()) {
            throw new IllegalArgumentException("masktune.worker.shutdown-grace-period must not be negative");
        }
    }

    /** The loader threads children get: the configured number, else half the cores (1..8). */
    public int effectiveLoaderThreads() {
        return loaderThreads != null ? loaderThreads : Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 2));
    }
}
