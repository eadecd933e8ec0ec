package org.masktune.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.masktune.embeddedpg.EmbeddedPostgresAutoConfiguration;
import org.masktune.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The job queries on the real PostgreSQL 17 (the embedded server, or Testcontainers where Docker runs), with the
 * Flyway schema: a JPA slice, no web layer or worker. Each test runs in a transaction that is rolled back, on a database of its own.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(EmbeddedPostgresAutoConfiguration.class)
@Import({TestDatabase.class, JobSearch.class})
class JobQueriesTests {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Autowired
    JobRepository jobs;
    @Autowired
    JobSearch search;
    @Autowired
    JdbcClient jdbc;

    /** Created one second apart, oldest first; types alternate train / evaluate, every third one RUNNING. */
    private List<Job> created;

    @BeforeEach
    void sevenJobs() {
        List<Job> jobsToSave = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Job job = new Job(UUID.randomUUID(), i % 2 == 0 ? "train" : "evaluate", "{\"seed\": " + i + "}", 0, 3, T0.plusSeconds(i));
            if (i % 3 == 0) {
                job.transitionTo(JobStatus.RUNNING, "started by the test", T0.plusSeconds(i).plusMillis(10));
            }
            jobsToSave.add(job);
        }
        created = jobs.saveAllAndFlush(jobsToSave); // the managed instances, in order
    }

    private List<UUID> newestFirst(java.util.function.Predicate<Job> filter) {
        List<UUID> ids = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            if (filter.test(created.get(i))) {
                ids.add(created.get(i).getId());
            }
        }
        return ids;
    }

    @Test
    void pagesAreNewestFirstAndCountTheFilteredRows() {
        List<UUID> all = newestFirst(j -> true);
        assertThat(search.ids(null, null, PageRequest.of(0, 3))).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(search.ids(null, null, PageRequest.of(2, 3))).containsExactlyElementsOf(all.subList(6, 7));
        assertThat(search.count(null, null)).isEqualTo(7);

        assertThat(search.ids(null, "train", PageRequest.of(0, 10))).containsExactlyElementsOf(newestFirst(j -> j.getType().equals("train")));
        assertThat(search.count(null, "train")).isEqualTo(4);
        assertThat(search.ids(JobStatus.RUNNING, null, PageRequest.of(0, 10)))
                .containsExactlyElementsOf(newestFirst(j -> j.getStatus() == JobStatus.RUNNING));
        assertThat(search.ids(JobStatus.RUNNING, "evaluate", PageRequest.of(0, 10))).containsExactly(created.get(3).getId());
        assertThat(search.count(JobStatus.RUNNING, "evaluate")).isEqualTo(1);
        assertThat(search.ids(JobStatus.SUCCEEDED, null, PageRequest.of(0, 10))).isEmpty();
    }

    @Test
    void versionsAreReadByIdAndAMissingJobIsAbsent() {
        Job job = created.get(0);
        UUID missing = UUID.fromString("00000000-0000-0000-0000-000000000042");
        long version = search.version(job.getId()).orElseThrow();
        assertThat(search.version(missing)).isEmpty();

        job.note("a change", T0.plusSeconds(60));
        jobs.saveAndFlush(job);
        assertThat(search.version(job.getId())).contains(version + 1);

        Map<UUID, Long> versions = search.versions(List.of(job.getId(), created.get(1).getId(), missing));
        assertThat(versions).containsOnlyKeys(job.getId(), created.get(1).getId()).containsEntry(job.getId(), version + 1);
        assertThat(search.versions(List.of())).isEmpty();
    }

    @Test
    void idempotencyKeysAndEventsAfterAnId() {
        Job job = created.get(1);
        job.setIdempotency("key-1", "hash");
        job.transitionTo(JobStatus.RUNNING, "started", T0.plusSeconds(30));
        job.transitionTo(JobStatus.SUCCEEDED, "done", T0.plusSeconds(40));
        jobs.saveAndFlush(job);

        assertThat(jobs.findByIdempotencyKey("key-1")).map(Job::getId).contains(job.getId());
        assertThat(jobs.findByIdempotencyKey("key-2")).isEmpty();

        List<JobEvent> events = jobs.findEventsAfter(job.getId(), 0);
        assertThat(events).extracting(JobEvent::getReason).containsExactly("submitted", "started", "done");
        assertThat(jobs.findEventsAfter(job.getId(), events.get(0).getId())).extracting(JobEvent::getReason)
                .containsExactly("started", "done");
    }
}
