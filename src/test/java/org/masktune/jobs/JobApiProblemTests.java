package org.masktune.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

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
    void outOfRangeNumbersNameEachField() {
        Response response = api.post("/api/v1/jobs/device-check", "{\"matrixSize\":0,\"repeats\":101}");
        assertProblem(response, 400);
        assertThat(response.json().path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("matrixSize", "repeats");
        assertThat(response.json().path("detail").asString()).contains("matrixSize: must be greater than or equal to 1");
        assertThat(api.post("/api/v1/jobs/device-check", "{\"matrixSize\":8193}").status()).isEqualTo(400);
    }

    @Test
    void malformedJsonIsA400() {
        Response response = api.post("/api/v1/jobs/device-check", "{\"matrixSize\":");
        assertProblem(response, 400);
        assertThat(response.json().path("title").asString()).isEqualTo("Malformed request body");
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

    @Test
    void badParametersNameTheParameter() {
        Response badId = api.get("/api/v1/jobs/not-a-uuid");
        assertProblem(badId, 400);
        assertThat(badId.json().path("errors").get(0).path("field").asString()).isEqualTo("id");

        Response badStatus = api.get("/api/v1/jobs?status=SLEEPING");
        assertProblem(badStatus, 400);
        assertThat(badStatus.json().path("errors").get(0).path("field").asString()).isEqualTo("status");

        Response badSize = api.get("/api/v1/jobs?size=1000");
        assertProblem(badSize, 400);
        assertThat(badSize.json().path("errors").get(0).path("field").asString()).isEqualTo("size");

        Response badWait = api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000042?waitSeconds=121");
        assertProblem(badWait, 400);
        assertThat(badWait.json().path("errors").get(0).path("field").asString()).isEqualTo("waitSeconds");
    }

    private static void assertProblem(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
    }
}
