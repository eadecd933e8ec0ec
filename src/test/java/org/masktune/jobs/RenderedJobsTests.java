package org.masktune.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** The rendered-JSON cache keeps to its byte budget, never replaces a newer version, and forgets deleted jobs. */
class RenderedJobsTests {

    private static RenderedJobs cache(DataSize budget) {
        return new RenderedJobs(null, null, JsonMapper.builder().build(), new JobsProperties(3, budget));
    }

    private static Job job(UUID id, long version) throws ReflectiveOperationException {
        Job job = new Job(id, "train", "{\"epochs\":1}", 0, 3, Instant.parse("2026-12-02T00:00:00Z"));
        Field field = Job.class.getDeclaredField("version");
        field.setAccessible(true);
        field.set(job, version);
        return job;
    }

    @Test
    void staysWithinItsByteBudget() throws Exception {
        RenderedJobs cache = cache(DataSize.ofKilobytes(8));
        long one = cache.render(job(UUID.randomUUID(), 1)).json().length;
        for (int i = 0; i < 200; i++) {
            cache.render(job(UUID.randomUUID(), 1));
        }
        long kept = cache.weight();
        assertTrue(kept <= 8 * 1024, "kept " + kept + " bytes");
        assertTrue(kept >= 8 * 1024 - 2 * one, "the budget is used, not emptied: kept " + kept + " bytes of jobs of " + one);
    }

    @Test
    void anOlderRenderDoesNotReplaceANewerOne() throws Exception {
        RenderedJobs cache = cache(DataSize.ofMegabytes(1));
        UUID id = UUID.randomUUID();
        RenderedJobs.Rendered newer = cache.render(job(id, 5));
        assertSame(newer, cache.render(job(id, 4)));
        assertEquals(6, cache.render(job(id, 6)).version());
    }

    @Test
    void aDeletedJobIsForgotten() throws Exception {
        RenderedJobs cache = cache(DataSize.ofMegabytes(1));
        UUID id = UUID.randomUUID();
        cache.render(job(id, 1));
        assertTrue(cache.weight() > 0);
        cache.onDeleted(new JobsDeleted(Set.of(id)));
        assertEquals(0, cache.weight());
    }
}
