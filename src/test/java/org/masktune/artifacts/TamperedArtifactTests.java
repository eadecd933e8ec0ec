package org.masktune.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.masktune.artifacts.ArtifactTestData.SIZE;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A checkpoint whose stored bytes were changed is never served as a 200 of wrong bytes: the
 * transfer stops (500 before any byte, or an aborted body short of its Content-Length), and the
 * checkpoint is marked corrupt so that later downloads are refused at once.
 */
@IntegrationTest
class TamperedArtifactTests {

    @Autowired
    ArtifactStore store;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApiClient api;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Artifact stored(int seed) throws IOException {
        byte[] bytes = ArtifactTestData.randomBytes(SIZE, seed);
        return store.store(ArtifactTestData.insertJob(jdbc), "best", 1, null, ArtifactTestData.write(dir, "c" + seed, bytes), null);
    }

    private void tamper(Artifact checkpoint, int seq, boolean alsoDropChunkHash) {
        jdbc.update("update artifact_chunks set bytes = overlay(bytes placing '\\xdeadbeef'::bytea from 100)"
                + (alsoDropChunkHash ? ", sha256 = null" : "") + " where artifact_id = ? and seq = ?", checkpoint.getId(), seq);
    }

    /** What the client got: null when the transfer was aborted (the body ended short of its length). */
    private HttpResponse<byte[]> download(Artifact checkpoint, String... headers) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/checkpoints/" + checkpoint.getId() + "/content"))
                .timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException aborted) {
            return null;
        }
    }

    private void assertNotServed(HttpResponse<byte[]> response, Artifact checkpoint) {
        if (response != null) {
            assertThat(response.statusCode()).as("a tampered checkpoint is not a success").isGreaterThanOrEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(store.isMarkedCorrupt(checkpoint.getId())).isTrue();
        HttpResponse<byte[]> again = null;
        try {
            again = download(checkpoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(again).isNotNull();
        assertThat(again.statusCode()).isEqualTo(500);
        assertThat(new String(again.body())).contains("Checkpoint corrupt");
    }

    @Test
    void aTamperedChunkStopsTheWholeDownload() throws Exception {
        Artifact checkpoint = stored(11);
        tamper(checkpoint, 1, false);

        assertNotServed(download(checkpoint), checkpoint);
    }

    @Test
    void aTamperedChunkWithoutItsOwnHashIsCaughtByTheFileDigestBeforeTheLastBytes() throws Exception {
        Artifact checkpoint = stored(12);
        int last = (int) ((SIZE - 1) / ArtifactStore.CHUNK_SIZE);
        tamper(checkpoint, last, true);

        HttpResponse<byte[]> response = download(checkpoint);
        if (response != null && response.statusCode() == 200) {
            assertThat(response.body().length).as("never a complete 200").isLessThan(SIZE);
        }
        assertNotServed(response != null && response.statusCode() == 200 ? null : response, checkpoint);
    }

    @Test
    void aRangeOverATamperedChunkIsRefused() throws Exception {
        Artifact checkpoint = stored(13);
        tamper(checkpoint, 1, false);
        long from = ArtifactStore.CHUNK_SIZE + 50L;

        HttpResponse<byte[]> response = download(checkpoint, "Range", "bytes=" + from + "-" + (from + 99));

        assertNotServed(response, checkpoint);
    }

    @Test
    void anIntactRangeIsStillServed() throws Exception {
        byte[] bytes = ArtifactTestData.randomBytes(SIZE, 14);
        Artifact checkpoint = store.store(ArtifactTestData.insertJob(jdbc), "best", 1, null, ArtifactTestData.write(dir, "c14", bytes), null);

        HttpResponse<byte[]> response = download(checkpoint, "Range", "bytes=10-19");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(bytes, 10, 20));
        assertThat(store.isMarkedCorrupt(checkpoint.getId())).isFalse();
    }
}
