package org.masktune.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.GzipBombs;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A 3 MB {@code train-images-idx3-ubyte.gz} that unpacks to 3 GiB once made every later request
 * time out (the registration read it whole and the OutOfMemoryError killed the service's threads).
 */
@IntegrationTest
class InflatingGzipTests {

    static final Path ROOT = Path.of("target/test-datasets").toAbsolutePath().normalize();

    @Autowired
    ApiClient api;

    private static String bombFolder() throws Exception {
        String name = "bomb-" + UUID.randomUUID();
        Path dir = ROOT.resolve(name);
        GzipBombs.idxImages(dir.resolve("train-images-idx3-ubyte.gz"), 60_000, 3 * 1024);
        Files.write(dir.resolve("train-labels-idx1-ubyte"),
                ByteBuffer.allocate(8 + 60_000).putInt(0x00000801).putInt(60_000).array());
        return name;
    }

    @Test
    void registrationRefusesTheFileByNameAndHealthStaysUp() throws Exception {
        String folder = bombFolder();

        Response response = api.post("/api/v1/datasets",
                "{\"name\":\"" + folder + "\",\"spec\":{\"format\":\"IDX\",\"path\":\"" + folder + "\"}}");

        // registration reads the folder in the background (202); the dataset then ends FAILED naming the file
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        Response dataset = api.get("/api/v1/datasets/" + folder);
        for (long end = System.nanoTime() + 120_000_000_000L;
                !dataset.json().path("status").asString().equals("FAILED") && System.nanoTime() < end; ) {
            Thread.sleep(200);
            dataset = api.get("/api/v1/datasets/" + folder);
        }
        assertThat(dataset.json().path("status").asString()).as(dataset.body()).isEqualTo("FAILED");
        assertThat(dataset.json().path("error").toString())
                .contains("train-images-idx3-ubyte.gz")
                .contains("inflates beyond the 47040016 bytes its header declares (refused after reading 47040017 bytes)");
        assertThat(dataset.body()).doesNotContain(ROOT.toString());
        Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void aTrainJobOnTheFileFailsNamingItAndHealthStaysUp() throws Exception {
        String folder = bombFolder();

        String id = api.submit("train", """
                {"dataset": {"format": "IDX", "path": "%s"}, "model": "small-cnn", "training": {"epochs": 1}}""".formatted(folder));
        JsonNode job = api.awaitTerminal(id, Duration.ofMinutes(2));

        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.path("error").toString()).contains("train-images-idx3-ubyte.gz: inflates beyond the 47040016 bytes")
                .doesNotContain("OutOfMemoryError").doesNotContain(ROOT.toString());
        assertThat(api.get("/actuator/health").json().path("status").asString()).isEqualTo("UP");
    }
}
