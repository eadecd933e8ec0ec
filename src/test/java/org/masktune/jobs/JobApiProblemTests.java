package org.masktune.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * End-to-end checks of the job API's problem+json answers through the running service (server, filters, database):
 * one validation error, and the 404s that need the real job registry and database. The other shapes (ranges,
 * malformed and strict JSON, bad parameters, 405) are checked faster in {@link JobApiSliceTests}.
 */
@IntegrationTest
class JobApiProblemTests {

    @Autowired
    ApiClient api;

    @Test
    void wrongTypeNamesTheField() {
        Response response = api.post("/api/v1/jobs/device-check", "{\"matrixSize\":\"big\"}");
        assertProblem(response, 400);
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("matrixSize");
    }

    @Test
    void unknownJobTypeIsA404ListingTheKnownOnes() {
        Response response = api.post("/api/v1/jobs/teleport", "{}");
        assertProblem(response, 404);
        assertThat(response.json().path("detail").asString()).contains("teleport").contains("device-check");
    }

    @Test
    void unknownJobIsA404NamingTheId() {
        String id = "00000000-0000-0000-0000-000000000042";
        Response response = api.get("/api/v1/jobs/" + id);
        assertProblem(response, 404);
        assertThat(response.json().path("detail").asString()).contains(id);
        assertProblem(api.post("/api/v1/jobs/" + id + "/cancel", null), 404);
        assertProblem(api.get("/api/v1/jobs/" + id + "/events"), 404);
    }

    private static void assertProblem(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
    }
}
