package org.masktune.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Tokens and roles, with authentication on as it is by default: every operation of the OpenAPI
 * document is walked, so an endpoint added later without a rule fails here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "masktune.security.enabled=true",
        "masktune.security.tokens[0].name=reader",
        "masktune.security.tokens[0].sha256=" + SecurityTests.READER_HASH,
        "masktune.security.tokens[0].roles=read",
        "masktune.security.tokens[1].name=alice",
        "masktune.security.tokens[1].sha256=" + SecurityTests.ALICE_HASH,
        "masktune.security.tokens[1].roles=submit",
        "masktune.security.tokens[2].name=bob",
        "masktune.security.tokens[2].sha256=" + SecurityTests.BOB_HASH,
        "masktune.security.tokens[2].roles=submit",
        "masktune.security.tokens[3].name=root",
        "masktune.security.tokens[3].sha256=" + SecurityTests.ADMIN_HASH,
        "masktune.security.tokens[3].roles=admin"})
@ActiveProfiles("test")
@Import({TestDatabase.class, ApiClient.class})
class SecurityTests {

    static final String READER = "reader-token-1";
    static final String ALICE = "alice-token-2";
    static final String BOB = "bob-token-3";
    static final String ADMIN = "admin-token-4";
    // SHA-256 of the four tokens above (TokenStore.hash); checked by tokensAreStoredAsTheirSha256
    static final String READER_HASH = "8ed7a3cb498a69b97157eb5c685b8831eabdc118fce9a4c75425920ab3ddf6e0";
    static final String ALICE_HASH = "b240c0befacf0ea1df26b7990ea1a7439fcae9613485a90a5489b33804609e18";
    static final String BOB_HASH = "42b56941c541b51f38b3308e07b312a13778438e656d6d6ba61b0fe04d36edd4";
    static final String ADMIN_HASH = "d562ca64e69c5ba316214b8330403d33b13780de91b2a217b92b6a5016efe379";

    @Autowired
    ApiClient anonymous;

    private ApiClient as(String token) {
        return anonymous.withToken(token);
    }

    private enum Need { READ, SUBMIT, ADMIN }

    /** The role an operation needs: reads need read, submits submit, datasets and deletes admin. */
    private static Need need(String method, String path) {
        if (method.equals("delete") || (method.equals("post") && path.startsWith("/api/v1/datasets"))) {
            return Need.ADMIN;
        }
        return method.equals("get") || method.equals("head") ? Need.READ : Need.SUBMIT;
    }

    @Test
    void everyOperationOfTheOpenApiDocumentNeedsATokenAndItsRole() {
        Response doc = anonymous.get("/v3/api-docs");
        assertThat(doc.status()).as("the OpenAPI document is public").isEqualTo(200);
        List<String> wrong = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : doc.json().path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String method = op.getKey();
                if (!List.of("get", "post", "put", "delete", "patch", "head").contains(method)) {
                    continue;
                }
                operations++;
                String url = path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                Need need = need(method, path.getKey());
                String what = method.toUpperCase() + " " + path.getKey();
                int none = send(anonymous, method, url).status();
                if (none != 401) {
                    wrong.add(what + " without a token: " + none);
                }
                int bad = send(as("not-a-token"), method, url).status();
                if (bad != 401) {
                    wrong.add(what + " with an unknown token: " + bad);
                }
                if (need == Need.SUBMIT || need == Need.ADMIN) {
                    int reader = send(as(READER), method, url).status();
                    if (reader != 403) {
                        wrong.add(what + " as reader: " + reader + ", expected 403");
                    }
                }
                if (need == Need.ADMIN) {
                    int submitter = send(as(ALICE), method, url).status();
                    if (submitter != 403) {
                        wrong.add(what + " as submitter: " + submitter + ", expected 403");
                    }
                }
                String enough = switch (need) {
                    case READ -> READER;
                    case SUBMIT -> ALICE;
                    case ADMIN -> ADMIN;
                };
                int allowed = send(as(enough), method, url).status();
                if (allowed == 401 || allowed == 403) {
                    wrong.add(what + " with role " + need + ": " + allowed);
                }
            }
        }
        assertThat(operations).as("operations in the OpenAPI document").isGreaterThan(25);
        assertThat(wrong).isEmpty();
    }

    private static Response send(ApiClient client, String method, String url) {
        return switch (method) {
            case "get" -> client.get(url, "Accept", "application/json");
            case "post" -> client.post(url, "{}");
            default -> client.request(method.toUpperCase(), url, null);
        };
    }

    @Test
    void unauthorizedAndForbiddenAreProblemsThatSayWhatToSend() {
        Response none = anonymous.get("/api/v1/jobs");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(none.header("Content-Type")).startsWith("application/problem+json");
        assertThat(none.json().path("detail").asString()).contains("Authorization: Bearer");

        Response forbidden = as(READER).post("/api/v1/jobs/device-check", "{}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).startsWith("application/problem+json");

        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(as(ALICE).get("/actuator/prometheus").status()).isEqualTo(403);
        assertThat(as(ADMIN).get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(anonymous.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void jobsRecordTheirSubmitterAndOnlyTheOwnerOrAnAdminMayCancel() {
        Response submitted = as(ALICE).post("/api/v1/jobs/device-check", "{\"matrixSize\": 8, \"holdSeconds\": 60}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().path("id").asString();
        assertThat(submitted.json().path("submittedBy").asString()).isEqualTo("alice");
        assertThat(as(READER).get("/api/v1/jobs/" + id).json().path("submittedBy").asString()).isEqualTo("alice");

        Response byBob = as(BOB).post("/api/v1/jobs/" + id + "/cancel", null);
        assertThat(byBob.status()).as(byBob.body()).isEqualTo(403);
        assertThat(byBob.header("Content-Type")).startsWith("application/problem+json");
        assertThat(as(READER).get("/api/v1/jobs/" + id).json().path("cancelRequested").asBoolean()).isFalse();

        // queued: cancelled at once (200); running: at its next step (202)
        Response byAdmin = as(ADMIN).post("/api/v1/jobs/" + id + "/cancel", null);
        assertThat(byAdmin.status()).as(byAdmin.body()).isIn(200, 202);

        String own = as(BOB).post("/api/v1/jobs/device-check", "{\"matrixSize\": 8}").json().path("id").asString();
        assertThat(as(BOB).post("/api/v1/jobs/" + own + "/cancel", null).status()).isIn(200, 202);
        assertThat(as(ADMIN).awaitTerminal(id, java.time.Duration.ofMinutes(2)).path("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aCrossSiteSimplePostIsRefusedEvenWithAToken() {
        Response crossSite = as(ALICE).post("/api/v1/jobs/device-check", null, "Origin", "https://evil.example");
        assertThat(crossSite.status()).as(crossSite.body()).isEqualTo(403);
        assertThat(crossSite.header("Access-Control-Allow-Origin")).isNull();
        Response sameSite = as(ALICE).get("/api/v1/jobs", "Origin", anonymous.base());
        assertThat(sameSite.status()).isEqualTo(200);
    }

    @Test
    void tokensAreStoredAsTheirSha256() {
        assertThat(TokenStore.hash(READER)).isEqualTo(READER_HASH);
        assertThat(TokenStore.hash(ALICE)).isEqualTo(ALICE_HASH);
        assertThat(TokenStore.hash(BOB)).isEqualTo(BOB_HASH);
        assertThat(TokenStore.hash(ADMIN)).isEqualTo(ADMIN_HASH);
    }
}
