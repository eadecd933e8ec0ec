package org.masktune.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Nothing a request sends is unbounded or silently reinterpreted. */
@IntegrationTest
class InputLimitsTests {

    @Autowired
    ApiClient api;

    private static List<String> fields(Response response) {
        List<String> fields = new ArrayList<>();
        for (JsonNode e : response.json().path("errors")) {
            fields.add(e.path("field").asString());
        }
        return fields;
    }

    private static void assertBadRequest(Response response, String... fields) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(fields(response)).as(response.body()).contains(fields);
    }

    @Test
    void aBodyOverTheLimitIs413WithOrWithoutContentLength() throws Exception {
        String big = "{\"matrixSize\": 8, \"pad\": \"" + "x".repeat(2 << 20) + "\"}";

        Response declared = api.post("/api/v1/jobs/device-check", big);
        assertThat(declared.status()).as(declared.body()).isEqualTo(413);
        assertThat(declared.header("Content-Type")).startsWith("application/problem+json");

        // chunked: no Content-Length, the limit is enforced while reading
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/jobs/device-check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.body()).contains("max-body-size");
    }

    @Test
    void listsInConfigsAreBounded() {
        String coverages = IntStream.range(0, 102).mapToObj(i -> Double.toString(i * 0.5)).collect(Collectors.joining(","));
        Response evaluate = api.post("/api/v1/jobs/evaluate",
                "{\"models\":[{\"job\":\"" + UUID.randomUUID() + "\"}],\"coverages\":[" + coverages + "]}");
        assertBadRequest(evaluate, "coverages");

        String splits = IntStream.range(0, 33).mapToObj(i -> "\"s" + i + "\"").collect(Collectors.joining(","));
        assertBadRequest(api.post("/api/v1/jobs/evaluate",
                "{\"models\":[{\"job\":\"" + UUID.randomUUID() + "\"}],\"splits\":[" + splits + "]}"), "splits");

        String attributes = IntStream.range(0, 41).mapToObj(i -> "\"a" + i + "\"").collect(Collectors.joining(","));
        assertBadRequest(api.post("/api/v1/jobs/train",
                "{\"dataset\":{\"format\":\"CELEBA\",\"path\":\"celeba\",\"attributes\":[" + attributes + "]}}"), "dataset.attributes");
    }

    @Test
    void pipelineCoveragesOutsideZeroToHundredAreRefused() {
        Response response = api.post("/api/v1/pipelines/masktune", "{\"dataset\":\"biased-mnist\",\"coverages\":[-1,150]}");

        assertBadRequest(response, "coverages[0]", "coverages[1]");
    }

    // Unknown fields, fractional integers and duplicate keys: JobApiSliceTests (the same strict converter, no server).
}
