package org.masktune.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.masktune.artifacts.ArtifactTestData.SIZE;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The checkpoint endpoints over real HTTP, against checkpoints stored in the real database. */
@IntegrationTest
class ArtifactApiTests {

    @Autowired
    ArtifactStore store;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApiClient api;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private UUID jobId;
    private byte[] bytes;
    private Artifact checkpoint;
    private String content;

    @BeforeEach
    void storeACheckpoint() throws IOException {
        jobId = ArtifactTestData.insertJob(jdbc);
        bytes = ArtifactTestData.randomBytes(SIZE, 42);
        checkpoint = store.store(jobId, "best", 7, "resnet18", ArtifactTestData.write(dir, "best.ckpt", bytes),
                "{\"config\":{\"architecture\":\"resnet18\",\"classes\":10},\"provenance\":{\"seed\":1}}");
        content = "/api/v1/checkpoints/" + checkpoint.getId() + "/content";
    }

    @Test
    void listsAndDescribesTheCheckpoint() {
        ApiClient.Response list = api.get("/api/v1/jobs/" + jobId + "/checkpoints");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().size()).isEqualTo(1);
        JsonNode listed = list.json().get(0);
        assertThat(listed.path("id").asString()).isEqualTo(checkpoint.getId().toString());

        ApiClient.Response one = api.get("/api/v1/checkpoints/" + checkpoint.getId());
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        JsonNode view = one.json();
        assertThat(view).isEqualTo(listed);
        assertThat(view.path("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(view.path("kind").asString()).isEqualTo("best");
        assertThat(view.path("epoch").asInt()).isEqualTo(7);
        assertThat(view.path("architecture").asString()).isEqualTo("resnet18");
        assertThat(view.path("sizeBytes").asLong()).isEqualTo(SIZE);
        assertThat(view.path("sha256").asString()).isEqualTo(ArtifactTestData.sha256(bytes));
        assertThat(view.path("metadata").path("config").path("classes").asInt()).isEqualTo(10);
        assertThat(view.path("createdAt").asString()).isNotEmpty();
        assertThat(view.path("contentUrl").asString()).isEqualTo(content);
    }

    @Test
    void downloadsTheExactBytesWithDigestHeaders() throws Exception {
        HttpResponse<byte[]> response = send(content, "GET");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(ArtifactTestData.sha256(response.body())).isEqualTo(checkpoint.getSha256());

        String sha256 = ArtifactTestData.sha256(bytes);
        String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(response, "ETag")).isEqualTo("\"" + sha256 + "\"");
        assertThat(header(response, "Repr-Digest")).isEqualTo("sha-256=:" + base64 + ":");
        assertThat(header(response, "Digest")).isEqualTo("SHA-256=" + base64);
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(response, "Content-Disposition")).isEqualTo("attachment; filename=\"" + jobId + "-best.ckpt\"");
    }

    @Test
    void rangeAcrossAChunkBoundaryReturnsExactlyThoseBytes() throws Exception {
        HttpResponse<byte[]> response = send(content, "GET", "Range", "bytes=1048570-1048590");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).hasSize(21).isEqualTo(Arrays.copyOfRange(bytes, 1048570, 1048591));
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 1048570-1048590/" + SIZE);
        assertThat(header(response, "Content-Length")).isEqualTo("21");
        assertThat(header(response, "Repr-Digest")).as("describes the whole file, not the part").contains(
                Base64.getEncoder().encodeToString(HexFormat.of().parseHex(checkpoint.getSha256())));
    }

    @Test
    void suffixAndOpenRanges() throws Exception {
        HttpResponse<byte[]> suffix = send(content, "GET", "Range", "bytes=-100");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, SIZE - 100, SIZE));
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes " + (SIZE - 100) + "-" + (SIZE - 1) + "/" + SIZE);

        int from = 2 * ArtifactStore.CHUNK_SIZE - 5;
        HttpResponse<byte[]> open = send(content, "GET", "Range", "bytes=" + from + "-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(bytes, from, SIZE));
        assertThat(header(open, "Content-Range")).isEqualTo("bytes " + from + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(header(open, "Content-Length")).isEqualTo(String.valueOf(SIZE - from));

        HttpResponse<byte[]> pastEnd = send(content, "GET", "Range", "bytes=" + (SIZE - 3) + "-" + (SIZE + 1000));
        assertThat(pastEnd.statusCode()).isEqualTo(206);
        assertThat(pastEnd.body()).isEqualTo(Arrays.copyOfRange(bytes, SIZE - 3, SIZE));
    }

    @Test
    void rangeStartingPastTheEndIs416() throws Exception {
        HttpResponse<byte[]> response = send(content, "GET", "Range", "bytes=" + SIZE + "-");
        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes */" + SIZE);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains(checkpoint.getId().toString());
    }

    @Test
    void ifNoneMatchWithTheDigestIs304() throws Exception {
        String etag = "\"" + checkpoint.getSha256() + "\"";
        HttpResponse<byte[]> cached = send(content, "GET", "If-None-Match", etag);
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
        assertThat(header(cached, "ETag")).isEqualTo(etag);

        assertThat(send(content, "GET", "If-None-Match", "\"" + "0".repeat(64) + "\"").statusCode()).isEqualTo(200);
    }

    @Test
    void ifRangeWithAnotherEtagSendsTheWholeFile() throws Exception {
        HttpResponse<byte[]> response = send(content, "GET", "Range", "bytes=0-9", "If-Range", "\"" + "0".repeat(64) + "\"");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);

        HttpResponse<byte[]> matching = send(content, "GET", "Range", "bytes=0-9", "If-Range", "\"" + checkpoint.getSha256() + "\"");
        assertThat(matching.statusCode()).isEqualTo(206);
        assertThat(matching.body()).isEqualTo(Arrays.copyOf(bytes, 10));
    }

    @Test
    void headSendsTheHeadersOnly() throws Exception {
        HttpResponse<byte[]> head = send(content, "HEAD");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(header(head, "ETag")).isEqualTo("\"" + checkpoint.getSha256() + "\"");

        HttpResponse<byte[]> range = send(content, "HEAD", "Range", "bytes=1048570-1048590");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(header(range, "Content-Length")).isEqualTo("21");
        assertThat(header(range, "Content-Range")).isEqualTo("bytes 1048570-1048590/" + SIZE);
    }

    @Test
    void unknownCheckpointIs404NamingIt() throws Exception {
        String id = "00000000-0000-0000-0000-0000000c0ffe";
        ApiClient.Response metadata = api.get("/api/v1/checkpoints/" + id);
        assertProblem(metadata, 404);
        assertThat(metadata.json().path("detail").asString()).contains(id);
        assertThat(metadata.json().path("title").asString()).isEqualTo("Checkpoint not found");

        ApiClient.Response bytes = api.get("/api/v1/checkpoints/" + id + "/content");
        assertProblem(bytes, 404);
        assertThat(bytes.json().path("detail").asString()).contains(id);
    }

    @Test
    void checkpointsOfAnUnknownJobIs404() {
        String id = "00000000-0000-0000-0000-000000000042";
        ApiClient.Response response = api.get("/api/v1/jobs/" + id + "/checkpoints");
        assertProblem(response, 404);
        assertThat(response.json().path("detail").asString()).contains(id);
    }

    @Test
    void incompleteCheckpointIsNeitherListedNorDownloadable() {
        UUID incomplete = UUID.randomUUID();
        jdbc.update("""
                insert into artifacts (id, job_id, kind, epoch, chunk_size, size_bytes, sha256, complete, created_at)
                values (?, ?, 'last', 3, ?, 10, ?, false, now())""", incomplete, jobId, ArtifactStore.CHUNK_SIZE, "a".repeat(64));
        jdbc.update("insert into artifact_chunks (artifact_id, seq, bytes) values (?, 0, ?)", incomplete, new byte[10]);

        ApiClient.Response list = api.get("/api/v1/jobs/" + jobId + "/checkpoints");
        assertThat(list.json().findValuesAsString("id")).containsExactly(checkpoint.getId().toString());
        assertProblem(api.get("/api/v1/checkpoints/" + incomplete), 404);
        assertProblem(api.get("/api/v1/checkpoints/" + incomplete + "/content"), 404);
        assertThat(store.find(incomplete)).isEmpty();
        assertThat(store.forJob(jobId, "last")).isEmpty();
    }

    private HttpResponse<byte[]> send(String path, String method, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static void assertProblem(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
    }
}
