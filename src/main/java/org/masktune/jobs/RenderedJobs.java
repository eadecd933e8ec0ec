package org.masktune.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentMap;
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
 * The memory is a Caffeine cache weighted by the JSON's bytes ({@code masktune.jobs.rendered-cache-size}); beyond
 * the budget the jobs least likely to be asked again (by recency and frequency) are dropped, and cost one render on
 * their next poll.
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
    private final Cache<UUID, Rendered> cache;
    private final ConcurrentMap<UUID, Rendered> byId;

    RenderedJobs(JobRepository jobs, JobSearch search, JsonMapper json, JobsProperties properties) {
        this.jobs = jobs;
        this.search = search;
        this.json = json;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(properties.renderedCacheSize().toBytes())
                .weigher((UUID id, Rendered rendered) -> rendered.json().length)
                .build();
        this.byId = cache.asMap();
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
        return byId.compute(job.getId(), (id, previous) ->
                previous != null && previous.version() > rendered.version() ? previous : rendered); // a slower reader lost the race
    }

    /** A deleted job is forgotten here, so this instance answers 404 for it (see README: other instances forget it when evicted). */
    @org.springframework.context.event.EventListener
    void onDeleted(JobsDeleted deleted) {
        cache.invalidateAll(deleted.jobIds());
    }

    /** Bytes of JSON kept now (for tests; eviction may lag a write slightly). */
    long weight() {
        cache.cleanUp();
        return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }
}
