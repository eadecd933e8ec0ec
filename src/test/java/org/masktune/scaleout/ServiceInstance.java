package org.masktune.scaleout;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.masktune.MaskTuneApplication;
import org.masktune.support.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as a separate OS process, started from the build's own classes and dependencies (no test classes, so no
 * test configuration is scanned) against a shared database: what an operator runs on each host. A real process is
 * needed for {@code kill -9} and SIGTERM; contexts in one JVM would share it.
 */
final class ServiceInstance {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String label;
    /** Learnt from the log once Tomcat listens (it binds port 0: a port picked here could be taken before it binds). */
    volatile int port = -1;
    final Path dir;
    final Path log;
    final Process process;
    private volatile String workerName;

    private ServiceInstance(String label, Path dir, Path log, Process process) {
        this.label = label;
        this.dir = dir;
        this.log = log;
        this.process = process;
    }

    /** Starts an instance on its own port, work dir and data dirs; returns at once (see {@link #awaitReady}). */
    static ServiceInstance start(String label, TestDatabase.Standalone db, Path root, List<String> properties) throws IOException {
        Path dir = Files.createDirectories(root.resolve(label));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true"));
        command.add("-cp");
        command.add(mainClasspath());
        command.add(MaskTuneApplication.class.getName());
        command.add("--server.port=0");
        command.add("--server.address=127.0.0.1");
        command.add("--spring.main.banner-mode=off");
        command.add("--spring.datasource.url=" + db.jdbcUrl());
        command.add("--spring.datasource.username=" + db.username());
        command.add("--spring.datasource.password=" + db.password());
        command.add("--masktune.embedded-postgres.enabled=false");
        command.add("--masktune.security.enabled=false");
        command.add("--masktune.security.admin-token-file=" + dir.resolve("admin-token"));
        command.add("--masktune.worker.work-dir=" + dir.resolve("work"));
        command.add("--masktune.checkpoints.export-dir=" + dir.resolve("exports"));
        command.add("--masktune.datasets.roots=" + dir.resolve("datasets"));
        command.add("--masktune.datasets.cache-dir=" + dir.resolve("cache"));
        command.addAll(properties);
        Path log = dir.resolve("service-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServiceInstance(label, dir, log, builder.start());
    }

    /** Waits for health UP and learns the worker name this instance writes on the jobs it runs. */
    ServiceInstance awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(label + " exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            if (port < 0) {
                port = listeningPort();
                if (port < 0) {
                    Thread.sleep(250);
                    continue;
                }
            }
            try {
                HttpResponse<String> health = get("/actuator/health");
                if (health.statusCode() == 200 && health.body().contains("UP")) {
                    workerName = JSON.readTree(get("/api/v1/workers").body()).path("instance").asString();
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(label + " did not become ready in " + timeout + ":\n" + logTail());
    }

    String workerName() {
        return workerName;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Submits a device-check job here and returns its id. */
    String submitDeviceCheck(String config) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/device-check"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(label + " on port " + port + " (" + (process.isAlive() ? "running" : "exited") + ") refused a submit: "
                    + e + "; log:\n" + logTail(), e);
        }
        if (response.statusCode() != 202) {
            throw new AssertionError(label + " answered " + response.statusCode() + " to a submit: " + response.body());
        }
        JsonNode job = JSON.readTree(response.body());
        return job.path("id").asString();
    }

    void cancel(String jobId) throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + jobId + "/cancel"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The child JVMs this instance runs now (JobRunnerMain), for the job whose id is in their spec path. */
    List<ProcessHandle> children(String jobId) {
        return process.descendants().filter(p -> cmdline(p).contains("JobRunnerMain") && cmdline(p).contains(jobId)).toList();
    }

    /** Kills this instance and every process under it (children first), waiting for them to be gone. */
    void killAll() {
        List<ProcessHandle> under = process.descendants().toList();
        process.destroyForcibly();
        under.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static String cmdline(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }

    private static final Pattern TOMCAT_STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    /** The port Tomcat logged it listens on, or -1 before it did. */
    private int listeningPort() throws IOException {
        if (!Files.exists(log)) {
            return -1;
        }
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.map(TOMCAT_STARTED::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).findFirst().orElse(-1);
        } catch (java.io.UncheckedIOException partlyWritten) {
            return -1;
        }
    }

    /**
     * This JVM's classpath without the test classes: Surefire may hand it over as a manifest-only jar, whose Class-Path
     * is expanded here. Test-scoped libraries stay (they configure nothing on their own).
     */
    static String mainClasspath() throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && entry.contains("surefire")) {
                try (JarFile jar = new JarFile(entry)) {
                    String manifestPath = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        URL base = Path.of(entry).toUri().toURL();
                        for (String relative : manifestPath.trim().split("\\s+")) {
                            try {
                                entries.add(Path.of(new URL(base, relative).toURI()).toString());
                            } catch (java.net.URISyntaxException e) {
                                throw new IOException(e);
                            }
                        }
                        continue;
                    }
                }
            }
            entries.add(entry);
        }
        return entries.stream()
                .filter(e -> !e.contains("surefire"))
                .filter(e -> !Path.of(e).normalize().endsWith(Path.of("target", "test-classes")))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
