package org.masktune.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A sweep over the error answers of the service, from the controllers down to Tomcat's own
 * rejections: each is problem+json, and none names a server path, a Java class or a stack frame.
 */
@IntegrationTest
class ProblemSweepTests {

    static final Path ROOT = Path.of("target/test-datasets").toAbsolutePath().normalize();

    @Autowired
    ApiClient api;

    private final HttpClient http = HttpClient.newHttpClient();

    record Answer(String request, int status, String contentType, String body) {
    }

    private Answer send(String method, String rawPath, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + rawPath))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(method + " " + (rawPath.length() > 80 ? rawPath.substring(0, 80) + "..." : rawPath), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    @Test
    void everyErrorIsAProblemWithoutServerPathsClassNamesOrStackTraces(@TempDir Path outside) throws Exception {
        String run = "sweep-" + UUID.randomUUID();
        Path dir = Files.createDirectories(ROOT.resolve(run));
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 3});
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(dir.resolve("escape"), outside);
        String register = "{\"name\":\"%s\",\"spec\":{\"format\":\"IDX\",\"path\":\"%s\"}}";

        List<Answer> answers = new ArrayList<>();
        answers.add(send("GET", "/api/v1/jobs/" + UUID.randomUUID(), null));
        answers.add(send("GET", "/api/v1/jobs/not-a-uuid", null));
        answers.add(send("GET", "/api/v1/no-such-endpoint", null));
        answers.add(send("POST", "/api/v1/jobs/no-such-type", "{}"));
        answers.add(send("POST", "/api/v1/jobs/train", "{\"dataset\": "));
        answers.add(send("POST", "/api/v1/jobs/train", "{\"dataset\": {\"format\": \"IDX\", \"path\": \"" + run + "/nope\"}}"));
        answers.add(send("POST", "/api/v1/datasets", register.formatted("s1", "../x")));
        answers.add(send("POST", "/api/v1/datasets", register.formatted("s2", "/etc")));
        answers.add(send("POST", "/api/v1/datasets", register.formatted("s3", run + "/escape")));
        answers.add(send("POST", "/api/v1/datasets", register.formatted("s4", run + "/missing")));
        // a folder with a corrupt file is accepted (202) and read in the background: its FAILED resource must not leak either
        Answer accepted = send("POST", "/api/v1/datasets", register.formatted("s5", run));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        Answer failed = send("GET", "/api/v1/datasets/s5", null);
        for (long end = System.nanoTime() + 60_000_000_000L; !failed.body().contains("\"FAILED\"") && System.nanoTime() < end; ) {
            Thread.sleep(200);
            failed = send("GET", "/api/v1/datasets/s5", null);
        }
        assertThat(failed.body()).contains("\"FAILED\"");
        answers.add(send("DELETE", "/api/v1/models", null));
        answers.add(send("PUT", "/api/v1/jobs/train", "{}"));
        answers.add(send("TRACE", "/api/v1/jobs", null));
        answers.add(send("GET", "/api/v1/jobs/%2f", null));
        answers.add(send("GET", "/api/v1/jobs/%00", null));
        answers.add(send("GET", "/api/v1/jobs", null, "X-Big", "x".repeat(9000)));
        answers.add(send("GET", "/api/v1/jobs?x=" + "y".repeat(20_000), null));
        answers.add(send("GET", "/api/v1/checkpoints/" + UUID.randomUUID() + "/content", null));
        answers.add(send("GET", "/api/v1/evaluations/" + UUID.randomUUID() + "/curves.svg", null));

        List<String> leaks = new ArrayList<>();
        for (String f : List.of(System.getProperty("user.dir"), ROOT.toString(), outside.toString(), "Exception", "\tat ")) {
            if (failed.body().contains(f)) {
                leaks.add("GET /api/v1/datasets/s5 (FAILED) names '" + f + "': " + failed.body());
            }
        }
        List<String> forbidden = List.of(System.getProperty("user.dir"), ROOT.toString(), outside.toString(),
                System.getProperty("java.home"), "org.masktune.", "org.apache.", "org.springframework.", "Exception", "\tat ",
                "Apache Tomcat", "<html");
        for (Answer a : answers) {
            if (a.status() < 400) {
                leaks.add(a.request() + ": expected an error, got " + a.status());
                continue;
            }
            if (!a.contentType().startsWith("application/problem+json")) {
                leaks.add(a.request() + ": " + a.status() + " answered as '" + a.contentType() + "': " + a.body());
            }
            for (String f : forbidden) {
                if (a.body() != null && a.body().contains(f)) {
                    leaks.add(a.request() + ": " + a.status() + " body names '" + f + "': " + a.body());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void metricsNameNoServerPath() throws Exception {
        Answer prometheus = send("GET", "/actuator/prometheus", null);
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes").doesNotContain(System.getProperty("user.dir"));
    }
}
