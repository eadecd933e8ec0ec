package org.masktune.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class JobLifecycleTests {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    ApiClient api;

    @Test
    void deviceCheckRunsInAChildJvmAndRecordsItsDeviceAndHistory() throws Exception {
        String id = api.submit("device-check", "{\"matrixSize\":64,\"repeats\":2}");

        JsonNode job = api.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("device").asString()).isEqualTo("cpu:0");
        assertThat(job.path("attempt").asInt()).isEqualTo(1);
        assertThat(job.path("progress").path("fraction").asDouble()).isEqualTo(1.0);
        JsonNode result = job.path("result");
        assertThat(result.path("engine").asString()).isEqualTo("PyTorch");
        assertThat(result.path("engineVersion").asString()).isEqualTo("2.7.1");
        assertThat(result.path("device").asString()).startsWith("cpu");
        assertThat(result.path("matrixSize").asInt()).isEqualTo(64);
        assertThat(result.path("gflops").asDouble()).isPositive();
        assertThat(job.path("startedAt").asString()).isNotEmpty();
        assertThat(job.path("finishedAt").asString()).isNotEmpty();

        List<ApiClient.SseEvent> events = api.readEvents("/api/v1/jobs/" + id + "/events", Duration.ofSeconds(30));
        List<String> transitions = events.stream().filter(e -> e.name().equals("state"))
                .map(e -> api.json().readTree(e.data()).path("to").asString()).toList();
        assertThat(transitions).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
        ApiClient.SseEvent last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("end");
        assertThat(api.json().readTree(last.data()).path("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void eventStreamOfARunningJobDeliversProgressAndTheFinalEvent() throws Exception {
        String id = api.submit("device-check", "{\"matrixSize\":16,\"repeats\":1,\"holdSeconds\":2}");

        List<ApiClient.SseEvent> events = api.readEvents("/api/v1/jobs/" + id + "/events", Duration.ofSeconds(90));

        assertThat(events).extracting(ApiClient.SseEvent::name).contains("state", "progress");
        ApiClient.SseEvent last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("end");
        assertThat(api.json().readTree(last.data()).path("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void queuedJobIsCancelledAtOnceAndRunningJobAtItsNextStep() {
        String running = occupyTheOnlySlot();
        String queued = api.submit("device-check", "{\"matrixSize\":16,\"repeats\":1}");

        // Nothing happens to the queued job while the only slot is busy: the long-poll times out with 304.
        Response first = api.get("/api/v1/jobs/" + queued);
        long start = System.nanoTime();
        Response unchanged = api.get("/api/v1/jobs/" + queued + "?waitSeconds=1", "If-None-Match", first.header("ETag"));
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        Response cancelQueued = api.post("/api/v1/jobs/" + queued + "/cancel", null);
        assertThat(cancelQueued.status()).isEqualTo(200);
        assertThat(cancelQueued.json().path("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelQueued.json().path("attempt").asInt()).isZero();

        // The running job reports progress: a long-poll on it answers early with the change.
        Response before = api.get("/api/v1/jobs/" + running);
        start = System.nanoTime();
        Response changed = api.get("/api/v1/jobs/" + running + "?waitSeconds=30", "If-None-Match", before.header("ETag"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(changed.json().path("version").asLong()).isGreaterThan(before.json().path("version").asLong());

        Response cancelRunning = api.post("/api/v1/jobs/" + running + "/cancel", null);
        assertThat(cancelRunning.status()).isEqualTo(202);
        assertThat(cancelRunning.json().path("cancelRequested").asBoolean()).isTrue();
        JsonNode cancelled = api.awaitTerminal(running, Duration.ofSeconds(30));
        assertThat(cancelled.path("status").asString()).isEqualTo("CANCELLED");

        Response again = api.post("/api/v1/jobs/" + running + "/cancel", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        assertThat(again.json().path("detail").asString()).contains("already CANCELLED");
        assertThat(api.job(queued).path("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void plainPollAnswers304WhileUnchangedAndTheNewStateAtOnceAfterAChange() {
        String running = occupyTheOnlySlot();
        String queued = api.submit("device-check", "{\"matrixSize\":16,\"repeats\":1}");

        Response first = api.get("/api/v1/jobs/" + queued);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Content-Type")).startsWith("application/json");
        assertThat(first.json().path("status").asString()).isEqualTo("QUEUED");
        assertThat(first.header("ETag")).isEqualTo("\"" + first.json().path("version").asLong() + "\"");
        assertThat(api.get("/api/v1/jobs/" + queued, "If-None-Match", first.header("ETag")).status()).isEqualTo(304);
        assertThat(listed(queued)).isEqualTo(first.json());

        api.post("/api/v1/jobs/" + queued + "/cancel", null);
        Response afterCancel = api.get("/api/v1/jobs/" + queued, "If-None-Match", first.header("ETag"));
        assertThat(afterCancel.status()).isEqualTo(200);
        assertThat(afterCancel.json().path("status").asString()).isEqualTo("CANCELLED");
        assertThat(afterCancel.header("ETag")).isNotEqualTo(first.header("ETag"))
                .isEqualTo("\"" + afterCancel.json().path("version").asLong() + "\"");
        assertThat(api.get("/api/v1/jobs/" + queued, "If-None-Match", afterCancel.header("ETag")).status()).isEqualTo(304);
        assertThat(api.get("/api/v1/jobs/" + queued).json()).isEqualTo(afterCancel.json());
        assertThat(listed(queued)).isEqualTo(afterCancel.json());

        api.post("/api/v1/jobs/" + running + "/cancel", null);
        assertThat(api.awaitTerminal(running, Duration.ofSeconds(30)).path("status").asString()).isEqualTo("CANCELLED");
    }

    /** A device check that holds the only CPU slot until it is cancelled. */
    private String occupyTheOnlySlot() {
        String running = api.submit("device-check", "{\"matrixSize\":16,\"repeats\":1,\"holdSeconds\":300}");
        api.awaitStatus(running, "RUNNING", JOB_TIMEOUT);
        return running;
    }

    private JsonNode listed(String id) {
        JsonNode page = api.get("/api/v1/jobs?type=device-check&size=200").json();
        for (JsonNode job : page.path("content")) {
            if (job.path("id").asString().equals(id)) {
                return job;
            }
        }
        throw new AssertionError("job " + id + " not in the first page: " + page);
    }

    @Test
    void listIsNewestFirstAndFilters() {
        String older = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1}");
        String newer = api.submit("device-check", "{\"matrixSize\":9,\"repeats\":1}");
        api.awaitTerminal(older, JOB_TIMEOUT);
        api.awaitTerminal(newer, JOB_TIMEOUT);

        JsonNode page = api.get("/api/v1/jobs?type=device-check&size=2&page=0").json();
        assertThat(page.path("content")).hasSize(2);
        assertThat(page.path("content").get(0).path("id").asString()).isEqualTo(newer);
        assertThat(page.path("content").get(1).path("id").asString()).isEqualTo(older);
        assertThat(page.path("page").path("totalElements").asLong()).isGreaterThanOrEqualTo(2);

        JsonNode succeeded = api.get("/api/v1/jobs?status=SUCCEEDED&size=200").json();
        assertThat(succeeded.path("content")).allSatisfy(j -> assertThat(j.path("status").asString()).isEqualTo("SUCCEEDED"));
        JsonNode none = api.get("/api/v1/jobs?type=no-such-type").json();
        assertThat(none.path("content")).isEmpty();
    }

    @Test
    void finishedJobAnswersLongPollAtOnceWith304ForItsOwnEtag() {
        String id = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1}");
        JsonNode done = api.awaitTerminal(id, JOB_TIMEOUT);
        String etag = "\"" + done.path("version").asLong() + "\"";
        long start = System.nanoTime();
        Response response = api.get("/api/v1/jobs/" + id + "?waitSeconds=30", "If-None-Match", etag);
        assertThat(response.status()).isEqualTo(304);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
