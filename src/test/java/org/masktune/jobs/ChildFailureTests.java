package org.masktune.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/**
 * A job's child JVM that dies (SIGKILL: exit 137) fails the job as CHILD_CRASHED with a clean reason and its last
 * output kept in the job's log; one that ignores a cancel (here: stopped with SIGSTOP, so it cannot answer) is killed
 * after {@code masktune.worker.cancel-grace-period} and the job is CANCELLED, saying so. Both on the shared context
 * (test profile: grace period 10 s, stall timeout 15 min).
 */
@IntegrationTest
class ChildFailureTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Autowired
    ApiClient api;

    @Autowired
    JobRepository jobs;

    @Value("${masktune.worker.cancel-grace-period}")
    Duration grace;

    /** A device check that prints three numbered stderr lines ("filler 0" … "filler 2") and then holds its slot. */
    private String holdingJob() {
        String id = api.submit("device-check", "{\"matrixSize\": 8, \"logBytes\": 300, \"holdSeconds\": 600}");
        api.awaitStatus(id, "RUNNING", TIMEOUT);
        return id;
    }

    @Test
    void aKilledChildFailsItsJobAsCrashedWithItsLastOutputInTheLog() throws Exception {
        Assumptions.assumeTrue(ProcessHandle.current().info().command().isPresent(), "needs process information (Linux /proc)");
        String id = holdingJob();
        awaitLog(id, "filler 2");
        ProcessHandle child = child(id);

        assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor()).isZero();
        JsonNode job = api.awaitTerminal(id, TIMEOUT);

        assertThat(job.path("status").asString()).isEqualTo("FAILED");
        assertThat(job.path("error").path("code").asString()).isEqualTo("CHILD_CRASHED");
        assertThat(job.path("error").path("message").asString())
                .isEqualTo("the job's JVM exited with code 137 (signal 9) without finishing; its last output is in the service log");
        String log = log(id);
        assertThat(log).contains("filler 0", "filler 2", "[masktune] child JVM exited with code 137");
        assertThat(log.indexOf("filler 2")).isLessThan(log.indexOf("[masktune] child JVM exited with code 137"));
        assertThat(reasons(id)).last().asString().contains("exited with code 137");
    }

    @Test
    void aChildThatDoesNotAnswerACancelIsKilledAfterTheGracePeriod() throws Exception {
        Assumptions.assumeTrue(ProcessHandle.current().info().command().isPresent(), "needs process information (Linux /proc)");
        String id = holdingJob();
        ProcessHandle child = child(id);
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).start().waitFor()).isZero();

        long cancelledAt = System.nanoTime();
        assertThat(api.post("/api/v1/jobs/" + id + "/cancel", null).status()).isEqualTo(202);
        JsonNode job = api.awaitTerminal(id, TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - cancelledAt);

        assertThat(job.path("status").asString()).isEqualTo("CANCELLED");
        assertThat(took).as("killed only after the grace period").isGreaterThanOrEqualTo(grace);
        assertThat(child.isAlive()).isFalse();
        assertThat(reasons(id)).last().asString()
                .isEqualTo("cancelled by request; the child did not stop within the grace period and was killed");
    }

    /** The reasons of the job's recorded state changes, oldest first. */
    private java.util.List<String> reasons(String id) {
        return jobs.findEventsAfter(java.util.UUID.fromString(id), 0).stream().map(JobEvent::getReason).toList();
    }

    /** The job's log as text (its lines start with "[masktune]", which the JSON-minded client would try to parse). */
    private String log(String id) {
        return new String(api.getBytes("/api/v1/jobs/" + id + "/logs").body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void awaitLog(String id, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (log(id).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the job's log never showed '" + text + "'");
    }

    /** The job's child JVM: this JVM's descendant running JobRunnerMain for {@code id}. */
    private static ProcessHandle child(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ProcessHandle child = ProcessHandle.current().descendants()
                    .filter(p -> cmdline(p).contains("JobRunnerMain") && cmdline(p).contains(id))
                    .findFirst().orElse(null);
            if (child != null) {
                return child;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no child JVM found for job " + id);
    }

    /** /proc/PID/cmdline, which ProcessHandle.Info does not always report. */
    private static String cmdline(ProcessHandle p) {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline")))
                    .replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }
}
