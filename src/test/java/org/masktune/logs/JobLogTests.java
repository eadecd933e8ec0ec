package org.masktune.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class JobLogTests {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final long CAP = 10L * 1024 * 1024; // masktune.logs.max-bytes-per-job, default

    @Autowired
    ApiClient api;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aJobThatPrints20MbKeepsTheCappedAmountAndSaysSo() throws Exception {
        String id = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1,\"logBytes\":20000000}");
        api.awaitSucceeded(id, JOB_TIMEOUT);

        HttpResponse<String> log = text("/api/v1/jobs/" + id + "/logs");

        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        long size = log.body().getBytes(StandardCharsets.UTF_8).length;
        assertThat(size).as("kept bytes").isBetween(CAP, CAP + 1024);
        assertThat(Long.parseLong(log.headers().firstValue("Log-Next-Offset").orElseThrow())).isEqualTo(size);
        assertThat(log.body()).startsWith("[masktune] attempt 1 of 3 on cpu:0")
                .contains("filler 0 ")
                .contains("[masktune] log cap reached: a job keeps at most 10485760 bytes")
                .contains("bytes of output were dropped after the cap")
                .doesNotContain("filler 199999 "); // the last of the 200,000 filler lines is beyond the cap
        assertThat(api.get("/api/v1/jobs/" + id + "/storage").json().path("logBytes").asLong()).isEqualTo(size);
    }

    @Test
    void followStreamsUntilTheJobEndsAndAnOffsetResumes() throws Exception {
        String id = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1,\"holdSeconds\":3,\"logBytes\":20000}");

        HttpResponse<String> followed = http.send(HttpRequest.newBuilder(
                URI.create(api.base() + "/api/v1/jobs/" + id + "/logs?follow=true")).timeout(JOB_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());

        // the stream ended by itself: by then the job had ended and its whole log had been sent
        JsonNode job = api.job(id);
        assertThat(job.path("status").asString()).isEqualTo("SUCCEEDED");
        HttpResponse<String> whole = text("/api/v1/jobs/" + id + "/logs");
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(followed.body()).isEqualTo(whole.body()).contains("filler 199 ").contains("child JVM exited with code 0");

        int offset = whole.body().indexOf("filler 100 ");
        HttpResponse<String> rest = text("/api/v1/jobs/" + id + "/logs?offset=" + offset);
        assertThat(rest.body()).isEqualTo(whole.body().substring(offset));
        assertThat(text("/api/v1/jobs/" + id + "/logs?offset=" + whole.body().length()).body()).isEmpty();
    }

    @Test
    void logAndJobEventStreamsResumeAfterLastEventId() throws Exception {
        String id = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1,\"logBytes\":5000}");
        api.awaitSucceeded(id, JOB_TIMEOUT);
        String whole = text("/api/v1/jobs/" + id + "/logs").body();

        List<String[]> all = sse("/api/v1/jobs/" + id + "/logs/events", null);
        assertThat(all.get(all.size() - 1)[0]).isEqualTo("end");
        String firstId = all.get(0)[1];
        List<String[]> resumed = sse("/api/v1/jobs/" + id + "/logs/events", "10");
        StringBuilder text = new StringBuilder();
        resumed.stream().filter(e -> e[0].equals("log")).forEach(e -> text.append(e[2]));
        assertThat(text.toString().replace("\n", "")).isEqualTo(whole.substring(10).replace("\n", ""));
        assertThat(Long.parseLong(firstId)).isPositive();

        List<String[]> states = sse("/api/v1/jobs/" + id + "/events", null).stream().filter(e -> e[0].equals("state")).toList();
        assertThat(states).hasSize(3); // QUEUED, RUNNING, SUCCEEDED
        List<String[]> later = sse("/api/v1/jobs/" + id + "/events", states.get(0)[1]).stream()
                .filter(e -> e[0].equals("state")).toList();
        assertThat(later).extracting(e -> e[1]).containsExactly(states.get(1)[1], states.get(2)[1]);
    }

    private HttpResponse<String> text(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(JOB_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Events as {name, id, data} until the server closes the stream. */
    private List<String[]> sse(String path, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(JOB_TIMEOUT)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String[]> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String eventId = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    eventId = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5));
                } else if (line.isEmpty() && name != null) {
                    events.add(new String[] {name, eventId, data.toString()});
                    name = null;
                    eventId = null;
                    data.setLength(0);
                }
            }
        }
        return events;
    }
}
