package org.masktune.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Lazy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the running service, as a user or CI script would talk to it. */
@TestComponent
@Lazy
public class ApiClient {

    public record Response(int status, Map<String, List<String>> headers, String body, JsonNode json) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    public record SseEvent(String name, String data) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ApplicationContext context;
    /** Sent as {@code Authorization: Bearer <token>} when not null (tests of the open mode send none). */
    private final String token;

    @org.springframework.beans.factory.annotation.Autowired
    public ApiClient(ApplicationContext context) {
        this(context, null);
    }

    private ApiClient(ApplicationContext context, String token) {
        this.context = context;
        this.token = token;
    }

    /** The same client sending {@code token} as a bearer token with every request (null: none). */
    public ApiClient withToken(String token) {
        return new ApiClient(context, token);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    public String base() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return "http://localhost:" + port;
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), headers);
    }

    /** A binary response (downloads, images): status, headers and the raw bytes. */
    public record BinaryResponse(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    public BinaryResponse getBytes(String path, String... headers) {
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(URI.create(base() + path)).GET());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new BinaryResponse(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(request, headers);
    }

    public Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), headers);
    }

    /** Any method, e.g. DELETE or TRACE, with an optional JSON body. */
    public Response request(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request, headers);
    }

    private Response send(HttpRequest.Builder request, String... headers) {
        authorized(request);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode node = body == null || body.isBlank() || !(body.startsWith("{") || body.startsWith("["))
                    ? null : json.readTree(body);
            return new Response(response.statusCode(), response.headers().map(), body, node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits and returns the new job's id, asserting a 202 with a Location. */
    public String submit(String type, String body) {
        Response response = post("/api/v1/jobs/" + type, body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.header("Location")).isEqualTo("/api/v1/jobs/" + response.json().path("id").asString());
        return response.json().path("id").asString();
    }

    public JsonNode job(String id) {
        return get("/api/v1/jobs/" + id).json();
    }

    /** Long-polls the job until {@code done} holds, failing after {@code timeout}. */
    public JsonNode awaitJob(String id, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response current = get("/api/v1/jobs/" + id);
        while (!done.test(current.json())) {
            assertThat(System.nanoTime()).as("job %s still %s", id, current.body()).isLessThan(deadline);
            Response next = get("/api/v1/jobs/" + id + "?waitSeconds=5", "If-None-Match", current.header("ETag"));
            if (next.status() == 200) {
                current = next;
            }
        }
        return current.json();
    }

    public JsonNode awaitStatus(String id, String status, Duration timeout) {
        return awaitJob(id, j -> status.equals(j.path("status").asString()), timeout);
    }

    public JsonNode awaitTerminal(String id, Duration timeout) {
        return awaitJob(id, j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.path("status").asString()), timeout);
    }

    /** Waits for the job to finish and asserts that it succeeded (the job's JSON is the failure message). */
    public JsonNode awaitSucceeded(String id, Duration timeout) {
        JsonNode job = awaitTerminal(id, timeout);
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    /** Reads a Server-Sent Events stream until the server closes it. */
    public List<SseEvent> readEvents(String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(base() + path)).timeout(timeout)
                .header("Accept", "text/event-stream").GET()).build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<SseEvent> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                } else if (line.isEmpty() && name != null) {
                    events.add(new SseEvent(name, data.toString()));
                    name = null;
                    data.setLength(0);
                }
            }
        }
        return events;
    }

    public JsonMapper json() {
        return json;
    }
}
