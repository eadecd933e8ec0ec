package org.masktune.embeddedpg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.support.BesideOtherTests;

@BesideOtherTests // its own servers and processes
class EmbeddedPostgresServerTests {

    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestartAndDurabilitySettingsAreOn() throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            execute(server.jdbcUrl(), "create table kept (v text); insert into kept values ('before restart')");
            assertThat(query(server.jdbcUrl(), "show fsync")).isEqualTo("on");
            assertThat(query(server.jdbcUrl(), "show synchronous_commit")).isEqualTo("on");
            assertThat(query(server.jdbcUrl(), "select current_setting('server_version_num')")).startsWith("17");
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(query(server.jdbcUrl(), "select v from kept")).isEqualTo("before restart");
        }
    }

    @Test
    void startsAfterTheOwningJvmWasKilledWithSignal9() throws Exception {
        Path data = dir.resolve("pg");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedPostgresHolder.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        String url;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            url = out.lines().filter(l -> l.startsWith("READY ")).findFirst().orElseThrow().substring(6);
            execute(url, "create table kept (v text); insert into kept values ('committed before kill -9')");
            holder.destroyForcibly(); // SIGKILL: no shutdown hook runs, postgres is orphaned
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.exists(data.resolve("postmaster.pid"))).as("the orphaned postgres still holds its pid file").isTrue();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(query(server.jdbcUrl(), "select v from kept")).isEqualTo("committed before kill -9");
        }
    }

    @Test
    void outlivesTheOwnersOtherShutdownHooksOnSigterm() throws Exception {
        Path data = dir.resolve("pg");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedPostgresHolder.class.getName(), data.toString(),
                "write-on-shutdown").redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String url = out.lines().filter(l -> l.startsWith("READY ")).findFirst().orElseThrow().substring(6);
            execute(url, "create table kept (v text)");
            holder.toHandle().destroy(); // SIGTERM (keeping its output open): shutdown hooks run, in no particular order
            lines = out.lines().toList();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lines).as("the hook's write, made while the JVM shuts down").contains("WROTE");
        assertThat(Files.exists(data.resolve("postmaster.pid"))).as("stopped by its owner's close()").isFalse();
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(query(server.jdbcUrl(), "select v from kept")).isEqualTo("written by a shutdown hook");
        }
    }

    @Test
    void asksEveryConnectionForItsGeneratedPasswordAndListensOnLoopbackOnly() throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            Path file = EmbeddedPostgresServer.passwordFile(data);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file).strip()).isEqualTo(server.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(query(server.jdbcUrl(), "show listen_addresses")).isEqualTo("localhost");
            String bare = server.jdbcUrlWithoutCredentials();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverManager.getConnection(bare, "postgres", "wrong"))
                    .hasMessageContaining("password authentication failed");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverManager.getConnection(bare, "postgres", ""))
                    .isInstanceOf(java.sql.SQLException.class);
            try (Connection c = DriverManager.getConnection(bare, "postgres", server.password())) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
        // the second start reads the kept password
        String kept = Files.readString(EmbeddedPostgresServer.passwordFile(data)).strip();
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(server.password()).isEqualTo(kept);
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
