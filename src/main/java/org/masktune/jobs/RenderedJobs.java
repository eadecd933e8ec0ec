package org.masktune.jobs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.support.PageableExecutionUtils;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

/**
 * Jobs as {@code GET /api/v1/jobs/{id}} and the job list answer them: the JSON, rendered once per version and kept
 * in memory. A poll of a job that has not changed then costs one primary-key read of the version
 * column instead of loading the row into a session and serialising it again. A finished job never
 * changes (no transition leaves a terminal state; a deleted job is dropped here by {@link #onDeleted}), so its JSON is answered
 * without asking the database at all — the common case of CI polling a job it has already seen finish,
 * and safe with several service instances because it relies on no one's memory of a change.
 */
@Component
class RenderedJobs {

    /** One job's JSON at one version. */
    record Rendered(long version, boolean finished, byte[] json) {
        String etag() {
            return JobView.etag(version);
        }

        /** For writing inside a larger document (a list page) as it is. */
        RawValue raw() {
            return new RawValue(new String(json, StandardCharsets.UTF_8));
        }
    }

    private final JobRepository jobs;
    private final JobSearch search;
    private final JsonMapper json;
    private final long maxBytes;
    private final ConcurrentHashMap<UUID, Rendered> byId = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    RenderedJobs(JobRepository jobs, JobSearch search, JsonMapper json, JobsProperties properties) {
        this.jobs = jobs;
        this.search = search;
        this.json = json;
        this.maxBytes = properties.renderedCacheSize().toBytes();
    }

    /** The job's current JSON; empty when there is no such job. */
    Optional<Rendered> current(UUID id) {
        Rendered cached = byId.get(id);
        if (cached != null && cached.finished()) {
            return Optional.of(cached);
        }
        Optional<Long> version = search.version(id);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        if (cached != null && cached.version() == version.get()) {
            return Optional.of(cached);
        }
        return jobs.findById(id).map(this::render);
    }

    /** One page of jobs, newest first (see {@link JobSearch}); only jobs changed since they were rendered are loaded. */
    Page<Rendered> page(JobStatus status, String type, Pageable pageable) {
        List<UUID> ids = search.ids(status, type, pageable);
        Map<UUID, Rendered> page = new HashMap<>();
        List<UUID> unfinished = new ArrayList<>();
        for (UUID id : ids) {
            Rendered cached = byId.get(id);
            if (cached != null && cached.finished()) {
                page.put(id, cached);
            } else {
                unfinished.add(id);
            }
        }
        List<UUID> stale = new ArrayList<>();
        search.versions(unfinished).forEach((id, version) -> {
            Rendered cached = byId.get(id);
            if (cached != null && cached.version() == version) {
                page.put(id, cached);
            } else {
                stale.add(id);
            }
        });
        jobs.findAllById(stale).forEach(job -> page.put(job.getId(), render(job)));
        List<Rendered> ordered = ids.stream().map(page::get).filter(Objects::nonNull).toList();
        return PageableExecutionUtils.getPage(ordered, pageable, () -> search.count(status, type));
    }

    /** Renders a job just loaded and keeps it if it is newer than what is kept. */
    Rendered render(Job job) {
        Rendered rendered = new Rendered(job.getVersion(), job.getStatus().isTerminal(), json.writeValueAsBytes(JobView.of(job)));
        long[] added = {0};
        Rendered kept = byId.compute(job.getId(), (id, previous) -> {
            if (previous != null && previous.version() > rendered.version()) { // a slower reader lost the race
                return previous;
            }
            added[0] = rendered.json().length - (previous == null ? 0 : previous.json().length);
            return rendered;
        });
        bytes.addAndGet(added[0]);
        evictBeyondBudget();
        return kept;
    }

    /** A deleted job is forgotten here, so this instance answers 404 for it (see README: other instances forget it when evicted). */
    @org.springframework.context.event.EventListener
    void onDeleted(JobsDeleted deleted) {
        for (UUID id : deleted.jobIds()) {
            Rendered removed = byId.remove(id);
            if (removed != null) {
                bytes.addAndGet(-removed.json().length);
            }
        }
    }

    /** Drops arbitrary entries until the budget holds: a dropped job costs one render on its next poll. */
    private void evictBeyondBudget() {
        Iterator<UUID> ids = byId.keySet().iterator();
        while (bytes.get() > maxBytes && ids.hasNext()) {
            Rendered removed = byId.remove(ids.next());
            if (removed != null) {
                bytes.addAndGet(-removed.json().length);
            }
        }
    }
}
