package org.masktune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.BesideOtherTests;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The CLI, run in this JVM as {@code java -jar masktune.jar ...} would run it, against the service on a random port.
 * Mostly waiting (a one-minute job, 60 s long-polls), it runs beside the other test classes, in an application
 * context and database of its own: the one-minute test needs the only slot to itself.
 */
@IntegrationTest
@TestPropertySource(properties = BesideOtherTests.CONTEXT)
@BesideOtherTests
class CliTests {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);

    @Autowired
    ApiClient api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ArtifactStore checkpoints;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** A CLI run in progress: its output so far can be read while it waits. */
    final class Running {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CompletableFuture<Integer> exit;

        Running(String... args) {
            String[] all = args;
            if (java.util.Arrays.stream(args).noneMatch(a -> a.startsWith("--url"))) {
                all = new String[args.length + 1];
                all[0] = args[0];
                all[1] = "--url=" + api.base();
                System.arraycopy(args, 1, all, 2, args.length - 1);
            }
            String[] command = all;
            exit = CompletableFuture.supplyAsync(() -> MaskTuneCli.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0])));
        }

        String jobId() throws InterruptedException {
            long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            while (!out.toString(StandardCharsets.UTF_8).contains("\n")) {
                assertThat(System.nanoTime()).as("the CLI printed no job id: %s", err).isLessThan(deadline);
                assertThat(exit).as("the CLI ended early: %s", err).isNotDone();
                Thread.sleep(50);
            }
            return out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        }

        Run await() throws Exception {
            int code = exit.get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    Run cli(String... args) throws Exception {
        return new Running(args).await();
    }

    private Path config(String json) throws Exception {
        return Files.writeString(dir.resolve(UUID.randomUUID() + ".json"), json);
    }

    @Test
    void submitTrainWaitReturns0ForATinyJob() throws Exception {
        Path config = config("""
                {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": 400},
                 "model": "small-cnn", "training": {"epochs": 1, "batchSize": 64, "seed": 1}}""");

        Run run = cli("submit", "train", config.toString(), "--wait", "--timeout", "3m");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        String id = run.lines().get(0);
        assertThat(api.job(id).path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.lines().get(run.lines().size() - 1)).contains("SUCCEEDED after");
        assertThat(run.out()).contains("QUEUED job " + id + " (train)").contains("RUNNING on cpu:0");
    }

    @Test
    void aFailingJobReturns1WithItsReasonOnStderr() throws Exception {
        // vgg16-bn needs 32 px images, Biased MNIST has 28: the job fails in its worker, not at submit
        Path config = config("""
                {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": 400},
                 "model": "vgg16-bn", "training": {"epochs": 1}}""");

        Run run = cli("submit", "train", config.toString(), "--wait");

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains("job " + run.lines().get(0) + " FAILED: ").contains("32");
    }

    @Test
    void aJobCancelledFromAnotherThreadReturns2() throws Exception {
        Running waiting = new Running("submit", "device-check", config("{\"matrixSize\":8,\"repeats\":1,\"holdSeconds\":300}").toString(), "--wait");
        String id = waiting.jobId();
        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);

        api.post("/api/v1/jobs/" + id + "/cancel", null);
        Run run = waiting.await();

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.lines().get(run.lines().size() - 1)).contains("CANCELLED");
    }

    @Test
    void waitingPastTheTimeoutReturns3AndLeavesTheJobRunning() throws Exception {
        Run submitted = cli("submit", "device-check", config("{\"matrixSize\":8,\"repeats\":1,\"holdSeconds\":300}").toString());
        String id = submitted.lines().get(0);
        try {
            api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
            long start = System.nanoTime();

            Run run = cli("wait", id, "--timeout", "3s");

            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(3);
            assertThat(millis).isBetween(2500L, 10_000L);
            assertThat(run.err()).contains("timed out after 3.0 s, still RUNNING");
            assertThat(api.job(id).path("status").asString()).isEqualTo("RUNNING");
        } finally {
            api.post("/api/v1/jobs/" + id + "/cancel", null);
        }
    }

    /**
     * Two things that take a minute, run together: the CLI waiting on a 1-minute job prints few lines, and a
     * 60 s long-poll of a job queued behind it (nothing changes) ends with 304 after the full 60 s: the servlet
     * async timeout (30 s by default) used to end such polls with 503.
     */
    @Test
    void aOneMinuteJobPrintsUnder30LinesAndA60SecondLongPollEndsWith304() throws Exception {
        // held 70 s, so that the job queued behind it cannot start (and change) before the 60 s poll is over
        Running waiting = new Running("submit", "device-check", config("{\"matrixSize\":8,\"repeats\":1,\"holdSeconds\":70}").toString(),
                "--wait", "--progress-every", "5s");
        String id = waiting.jobId();
        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
        String queued = api.submit("device-check", "{\"matrixSize\":8,\"repeats\":1}");
        String etag = api.get("/api/v1/jobs/" + queued).header("ETag");

        // 300 more at once, as the report that found the 503s had it (3 of 300 polls of exactly 30 s got one)
        java.net.http.HttpClient many = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/jobs/" + queued + "?waitSeconds=60"))
                .header("If-None-Match", etag).timeout(Duration.ofSeconds(120)).build();
        List<CompletableFuture<Integer>> concurrent = java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> many.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                        .thenApply(java.net.http.HttpResponse::statusCode)).toList();
        long start = System.nanoTime();
        Response poll = api.get("/api/v1/jobs/" + queued + "?waitSeconds=60", "If-None-Match", etag);
        long pollMillis = (System.nanoTime() - start) / 1_000_000;
        Run run = waiting.await();
        java.util.Map<Integer, Long> statuses = concurrent.stream().map(CompletableFuture::join)
                .collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        assertThat(statuses).as("statuses of 300 concurrent 60 s long-polls").isEqualTo(java.util.Map.of(304, 300L));

        assertThat(poll.status()).as(poll.body()).isEqualTo(304);
        assertThat(pollMillis).isBetween(59_500L, 70_000L);
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.lines()).as(run.out()).hasSizeLessThan(30);
        assertThat(run.lines().stream().filter(l -> l.contains("%"))).as(run.out()).isNotEmpty();
        System.out.printf("60 s long-poll: %d after %d ms; CLI output for the 1-minute job: %d lines%n%s",
                poll.status(), pollMillis, run.lines().size(), run.out());
        api.awaitTerminal(queued, JOB_TIMEOUT);
    }

    @Test
    void downloadResumesAfterACutConnectionVerifiesTheDigestAndSendsTheToken() throws Exception {
        byte[] bytes = new byte[2 * ArtifactStore.CHUNK_SIZE + 4321];
        new Random(42).nextBytes(bytes);
        UUID checkpoint = storeCheckpoint(bytes);
        Path target = dir.resolve("model.ckpt");
        int port = URI.create(api.base()).getPort();

        try (CuttingProxy proxy = new CuttingProxy(port, 700_000, -1)) {
            Run run = new Running("download", "--url=" + proxy.url(), "--token", "s3cret", checkpoint.toString(), "-o", target.toString())
                    .await();

            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
            assertThat(run.err()).contains("resuming");
            assertThat(run.out()).contains("verified");
            assertThat(proxy.requests).hasSizeGreaterThanOrEqualTo(2);
            assertThat(proxy.requests).allSatisfy(r -> assertThat(r).contains("Authorization: Bearer s3cret"));
            assertThat(proxy.requests.get(1)).containsPattern("(?i)range: bytes=\\d+-").containsIgnoringCase("If-Range: \"");
        }

        Path corrupt = dir.resolve("corrupt.ckpt");
        try (CuttingProxy proxy = new CuttingProxy(port, -1, 100_000)) {
            Run run = new Running("download", "--url=" + proxy.url(), checkpoint.toString(), "-o", corrupt.toString()).await();

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.err()).contains("SHA-256 mismatch");
            assertThat(corrupt).doesNotExist();
            assertThat(dir.resolve("corrupt.ckpt.part")).doesNotExist();
        }
    }

    @Test
    void usageAndConnectionErrorsReturn4() throws Exception {
        assertThat(cli("submit").exit()).isEqualTo(4);
        Run unreachable = new Running("status", "--url=http://localhost:1", UUID.randomUUID().toString()).await();
        assertThat(unreachable.exit()).isEqualTo(4);
        assertThat(unreachable.err()).contains("cannot reach the service");
        assertThat(cli("status", UUID.randomUUID().toString()).exit()).isEqualTo(4);
        assertThat(MaskTuneCli.COMMANDS).contains("submit", "pipeline", "wait", "status", "logs", "download");
    }

    private UUID storeCheckpoint(byte[] bytes) throws Exception {
        UUID job = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, type, status, config, max_attempts, attempt, created_at, started_at, finished_at, updated_at)
                values (?, 'train', 'SUCCEEDED', '{}'::jsonb, 3, 1, now(), now(), now(), now())""", job);
        Path file = Files.write(dir.resolve(job + ".bin"), bytes);
        return checkpoints.store(job, "last", 1, "small-cnn", file, "{}").getId();
    }
}
