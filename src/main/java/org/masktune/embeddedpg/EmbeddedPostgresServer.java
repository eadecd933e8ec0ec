package org.masktune.embeddedpg;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server on a persistent data directory. Unlike zonky's test defaults it keeps
 * fsync and synchronous commit on (the data must survive a crash), and it stops a postgres left
 * behind by a JVM that was killed with -9 before starting a new one on the same directory.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
    }

    /** Where the generated password of the server on {@code dataDir} is kept: beside it, {@code <dir>.password}. */
    public static Path passwordFile(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        return dir.resolveSibling(dir.getFileName() + ".password");
    }

    /**
     * Starts (initialising on first use) the server on {@code dataDir}. It listens on loopback only
     * and asks every connection, local ones too, for a password (SCRAM): the password is generated
     * on first start and kept in {@link #passwordFile} readable by its owner only.
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        stopOrphan(dir);
        String password = password(passwordFile(dir));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setConnectConfig("password", password)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .setPGStartupWait(Duration.ofSeconds(60))
                // stopped by close(), after its users: the library's own JVM shutdown hook would stop it while
                // Spring's shutdown still hands running jobs back (and their re-queue would find no database)
                .setRegisterShutdownHook(false);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        try {
            requirePassword(postgres, dir, password);
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        log.info("Embedded PostgreSQL 17 on localhost:{} with data in {} (password in {})", postgres.getPort(), dir, passwordFile(dir));
        return new EmbeddedPostgresServer(postgres, dir, password);
    }

    private static String password(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file).strip();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String generated = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path parent = file.getParent();
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, generated + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return generated;
    }

    /**
     * initdb leaves every local connection trusted; set the superuser's password and make
     * pg_hba.conf ask for it on the socket and on loopback (the only addresses listened on).
     */
    private static void requirePassword(EmbeddedPostgres postgres, Path dir, String password) throws IOException {
        String hba = "# written by masktune: password (SCRAM) for every connection\n"
                + "local all all scram-sha-256\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n"
                + "host all all ::1/128 scram-sha-256\n";
        Path hbaFile = dir.resolve("pg_hba.conf");
        if (Files.isRegularFile(hbaFile) && Files.readString(hbaFile).equals(hba)) {
            return;
        }
        try (java.sql.Connection c = postgres.getPostgresDatabase().getConnection();
                java.sql.Statement st = c.createStatement()) {
            // the password is base64url: no quote can end the literal
            st.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            Files.writeString(hbaFile, hba);
            st.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            throw new IOException("could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
        }
    }

    /** The JDBC URL with user and password, for tools and tests that connect by URL alone. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE) + "&password=" + password;
    }

    /** The JDBC URL without credentials (they go separately to the DataSource). */
    public String jdbcUrlWithoutCredentials() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * After a kill -9 of the JVM its postgres keeps running and holds postmaster.pid, so a new
     * start on the same directory would fail. Stop it, but only if that pid really is a postgres.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = Files.readAllLines(pidFile).stream().findFirst()
                .map(String::trim)
                .filter(s -> s.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(EmbeddedPostgresServer::isPostgres);
        if (orphan.isEmpty()) {
            return; // stale pid file: postgres itself recovers from that
        }
        ProcessHandle process = orphan.get();
        log.warn("Stopping orphaned PostgreSQL (pid {}) left running on {}", process.pid(), dataDir);
        signal(process.pid(), "INT"); // fast shutdown: rolls back open transactions, checkpoints
        if (!waitForExit(process, ORPHAN_STOP_TIMEOUT)) {
            process.destroyForcibly();
            waitForExit(process, ORPHAN_STOP_TIMEOUT);
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("postgres"))
                .orElseGet(() -> readCmdline(process.pid()).contains("postgres"));
    }

    private static String readCmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            log.warn("Could not signal pid {}: {}", pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return !process.isAlive();
        }
    }
}
