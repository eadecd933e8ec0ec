package org.masktune.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

/** Long-polls of pipelines, and of jobs without If-None-Match; no stage ever trains (the only slot is kept busy). */
@IntegrationTest
class PipelineLongPollTests {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    ApiClient api;

    @Test
    void pipelineLongPollAnswersWithinASecondOfAStageChangeAndAfterWaitSecondsOtherwise() throws Exception {
        String holder = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1,\"holdSeconds\":300}");
        api.awaitStatus(holder, "RUNNING", JOB_TIMEOUT);
        try {
            Response created = api.post("/api/v1/pipelines/masktune", """
                    {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": 2000}, "training": {"epochs": 1}}""");
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            String id = created.json().path("id").asString();
            String train = created.json().path("stages").get(0).path("jobId").asString();
            Response first = api.get("/api/v1/pipelines/" + id);
            String etag = first.header("ETag");

            // the train stage waits behind the busy slot: nothing changes, 304 after waitSeconds
            long start = System.nanoTime();
            Response unchanged = api.get("/api/v1/pipelines/" + id + "?waitSeconds=2", "If-None-Match", etag);
            long unchangedMillis = elapsedMillis(start);
            assertThat(unchanged.status()).isEqualTo(304);
            assertThat(unchangedMillis).isBetween(1900L, 4000L);

            // a stage change (its job cancelled) ends a 60 s long-poll within a second
            CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                    () -> api.get("/api/v1/pipelines/" + id + "?waitSeconds=60", "If-None-Match", etag));
            Thread.sleep(1500);
            assertThat(poll).isNotDone();
            long cancelledAt = System.nanoTime();
            assertThat(api.post("/api/v1/jobs/" + train + "/cancel", null).status()).isEqualTo(200);
            Response changed = poll.get(30, TimeUnit.SECONDS);
            long reactionMillis = elapsedMillis(cancelledAt);

            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.json().path("stages").get(0).path("status").asString()).isEqualTo("CANCELLED");
            assertThat(changed.json().path("status").asString()).isEqualTo("CANCELLED");
            assertThat(reactionMillis).as("ms from the cancel to the long-poll's answer").isLessThan(1000);
            System.out.printf("pipeline long-poll: 304 after %d ms (waitSeconds=2); answered %d ms after a stage change%n",
                    unchangedMillis, reactionMillis);

            // finished: a long-poll with its current ETag answers 304 at once
            long finishedStart = System.nanoTime();
            assertThat(api.get("/api/v1/pipelines/" + id + "?waitSeconds=30", "If-None-Match", changed.header("ETag")).status())
                    .isEqualTo(304);
            assertThat(elapsedMillis(finishedStart)).isLessThan(2000);
        } finally {
            api.post("/api/v1/jobs/" + holder + "/cancel", null);
        }
    }

    @Test
    void aLongPollWithoutIfNoneMatchWaitsForTheNextChange() throws Exception {
        String holder = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1,\"holdSeconds\":300}");
        api.awaitStatus(holder, "RUNNING", JOB_TIMEOUT);
        try {
            String queued = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1}");
            long version = api.job(queued).path("version").asLong();

            long start = System.nanoTime();
            Response unchanged = api.get("/api/v1/jobs/" + queued + "?waitSeconds=2");
            assertThat(unchanged.status()).isEqualTo(200);
            assertThat(elapsedMillis(start)).as("waited for a change instead of answering at once").isGreaterThanOrEqualTo(1900);
            assertThat(unchanged.json().path("version").asLong()).isEqualTo(version);

            CompletableFuture<Response> poll = CompletableFuture.supplyAsync(() -> api.get("/api/v1/jobs/" + queued + "?waitSeconds=60"));
            Thread.sleep(1000);
            assertThat(poll).isNotDone();
            api.post("/api/v1/jobs/" + queued + "/cancel", null);
            Response changed = poll.get(10, TimeUnit.SECONDS);
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.json().path("status").asString()).isEqualTo("CANCELLED");

            Response tooLong = api.get("/api/v1/jobs/" + queued + "?waitSeconds=121");
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.json().path("errors").get(0).path("field").asString()).isEqualTo("waitSeconds");
            assertThat(tooLong.json().path("detail").asString()).contains("120");
        } finally {
            api.post("/api/v1/jobs/" + holder + "/cancel", null);
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
