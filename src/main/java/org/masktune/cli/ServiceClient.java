package org.masktune.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** HTTP to the service for the CLI: base URL, bearer token, JSON. Connection problems surface as {@link IOException}. */
final class ServiceClient {

    private final URI base;
    private final String token;
    private final HttpClient http;
    final JsonMapper json = JsonMapper.builder().build();

    ServiceClient(String url, String token) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.base = URI.create(trimmed);
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    record Response(int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    Response get(String path, Duration timeout, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path, timeout).GET();
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                builder.header(headers[i], headers[i + 1]);
            }
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response);
    }

    Response post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path, Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                builder.header(headers[i], headers[i + 1]);
            }
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response);
    }

    HttpResponse<InputStream> stream(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    JsonNode parse(String body) {
        return json.readTree(body);
    }

    /** The problem+json detail of an error answer, or its status line. */
    String problem(Response response) {
        try {
            JsonNode node = json.readTree(response.body());
            String detail = node.path("detail").asString("");
            if (!detail.isEmpty()) {
                return "HTTP " + response.status() + ": " + detail;
            }
        } catch (RuntimeException ignored) {
            // not JSON
        }
        return "HTTP " + response.status() + (response.body() == null || response.body().isBlank() ? "" : ": " + response.body());
    }

    String base() {
        return base.toString();
    }
}
