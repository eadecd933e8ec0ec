package org.masktune.support;

import java.io.IOException;
import java.nio.file.Files;
import org.masktune.embeddedpg.EmbeddedPostgresServer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Condition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests: a Testcontainers PostgreSQL 17 where Docker runs, otherwise the
 * embedded PostgreSQL 17 on a throw-away directory. Never a mock, never H2.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabase {

    static final boolean DOCKER = dockerAvailable();

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    @Bean
    @ServiceConnection
    @Conditional(DockerAvailable.class)
    PostgreSQLContainer postgres() {
        return new PostgreSQLContainer("postgres:17-alpine");
    }

    @Bean(destroyMethod = "close")
    @Conditional(DockerMissing.class)
    EmbeddedPostgresServer embeddedPostgresServer() throws IOException {
        return EmbeddedPostgresServer.start(Files.createTempDirectory("masktune-test-pg"), 0);
    }

    /** A database started outside any Spring context, for tests that run the service as separate processes. */
    public record Standalone(String jdbcUrl, String username, String password, AutoCloseable server) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** The same choice as the beans above (Testcontainers where Docker runs, else embedded), without Spring. */
    public static Standalone startStandalone() throws IOException {
        if (DOCKER) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            return new Standalone(container.getJdbcUrl(), container.getUsername(), container.getPassword(), container::stop);
        }
        java.nio.file.Path dir = Files.createTempDirectory("masktune-test-pg");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, 0);
        return new Standalone(server.jdbcUrlWithoutCredentials(), EmbeddedPostgresServer.USER, server.password(), () -> {
            server.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(dir);
            Files.deleteIfExists(EmbeddedPostgresServer.passwordFile(dir));
        });
    }

    static class DockerAvailable implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return DOCKER;
        }
    }

    static class DockerMissing implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !DOCKER;
        }
    }
}
