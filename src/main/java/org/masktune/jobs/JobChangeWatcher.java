package org.masktune.jobs;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Lets long-polls and event streams wait for a job to change without holding a thread each.
 * One timer reads the versions of all watched jobs in a single query; since the version lives in
 * the database, a change made by any instance wakes the waiters of every instance.
 */
@Component
public class JobChangeWatcher {

    private static final Logger log = LoggerFactory.getLogger(JobChangeWatcher.class);

    private record Waiter(long knownVersion, CompletableFuture<Boolean> changed) {
    }

    private final JobSearch jobs;
    private final Map<UUID, List<Waiter>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-change-watcher");
        t.setDaemon(true);
        return t;
    });

    JobChangeWatcher(JobSearch jobs, @Value("${masktune.jobs.watch-interval:200ms}") Duration interval) {
        this.jobs = jobs;
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Completes with true as soon as the job's version differs from {@code knownVersion}, or with
     * false after {@code timeout}.
     */
    public CompletableFuture<Boolean> awaitChange(UUID id, long knownVersion, Duration timeout) {
        CompletableFuture<Boolean> changed = new CompletableFuture<>();
        Waiter waiter = new Waiter(knownVersion, changed);
        waiters.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(waiter);
        timer.schedule(() -> changed.complete(false), timeout.toMillis(), TimeUnit.MILLISECONDS);
        changed.whenComplete((r, e) -> waiters.computeIfPresent(id, (k, list) -> {
            list.remove(waiter);
            return list.isEmpty() ? null : list;
        }));
        return changed;
    }

    private void check() {
        if (waiters.isEmpty()) {
            return;
        }
        try {
            List<UUID> ids = new ArrayList<>(waiters.keySet());
            Map<UUID, Long> versions = jobs.versions(ids);
            for (UUID id : ids) {
                Long version = versions.get(id);
                for (Waiter w : waiters.getOrDefault(id, List.of())) {
                    if (version == null || version != w.knownVersion()) {
                        w.changed().complete(true);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not check job versions: {}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
