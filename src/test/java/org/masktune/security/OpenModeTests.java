package org.masktune.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * The explicitly open mode the other tests run in (masktune.security.enabled=false in
 * application-test.yml): no tokens, but loopback only and still no cross-site requests.
 */
@IntegrationTest
class OpenModeTests {

    @Autowired
    ApiClient api;

    @Autowired
    ApplicationContext context;

    @TempDir
    Path dir;

    @Test
    void aCrossSiteSimplePostWithoutBodyIsRefusedAndSubmitsNothing() {
        int before = api.get("/api/v1/jobs?size=1").json().path("page").path("totalElements").asInt(-1);

        Response crossSite = api.post("/api/v1/jobs/device-check", null, "Origin", "https://evil.example",
                "Content-Type", "text/plain");

        assertThat(crossSite.status()).as(crossSite.body()).isEqualTo(403);
        assertThat(crossSite.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.get("/api/v1/jobs?size=1").json().path("page").path("totalElements").asInt(-1)).isEqualTo(before);
    }

    @Test
    void theOpenServiceListensOnLoopbackOnly() throws Exception {
        var server = ((WebServerApplicationContext) context).getWebServer();
        var tomcat = (org.springframework.boot.tomcat.TomcatWebServer) server;
        Object address = tomcat.getTomcat().getConnector().getProperty("address");
        assertThat(address).isNotNull();
        String text = address.toString(); // "localhost/127.0.0.1"
        assertThat(InetAddress.getByName(text.substring(text.indexOf('/') + 1)).isLoopbackAddress()).as(text).isTrue();
    }

    @Test
    void withNoTokensConfiguredAnAdminTokenIsGeneratedOnceAndKeptOwnerOnly() throws Exception {
        Path file = dir.resolve("data/admin-token");
        SecurityProperties properties = new SecurityProperties(true, List.of(), file, List.of());

        TokenStore first = new TokenStore(properties);
        String token = Files.readString(file).strip();
        TokenStore second = new TokenStore(properties);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(token).startsWith("mt_").hasSizeGreaterThan(40);
        assertThat(first.identify(token)).contains(new TokenStore.Identity("admin", Role.ADMIN));
        assertThat(second.identify(token)).contains(new TokenStore.Identity("admin", Role.ADMIN));
        assertThat(second.identify(token + "x")).isEmpty();
    }
}
