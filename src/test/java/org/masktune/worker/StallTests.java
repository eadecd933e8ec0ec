package org.masktune.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** A child that hangs (here: SIGSTOP) no longer keeps its job RUNNING and its slot taken forever. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "masktune.worker.stall-timeout=5s")
@ActiveProfiles("test")
@Import({TestDatabase.class, ApiClient.class})
class StallTests {

    @Autowired
    ApiClient api;

    @Test
    void aStoppedChildIsKilledAndItsJobFailedAsStalledAndTheSlotIsFreed() throws Exception {
        Assumptions.assumeTrue(ProcessHandle.current().info().command().isPresent(), "needs process information (Linux /proc)");
        String id = api.submit("device-check", "{\"matrixSize\": 8, \"holdSeconds\": 600}");
        api.awaitStatus(id, "RUNNING", Duration.ofMinutes(2));
        // the job's child JVM is this JVM's child running JobRunnerMain
        ProcessHandle child = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (child == null && System.nanoTime() < deadline) {
            child = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("JobRunnerMain") && c.contains(id)).orElse(false)
                            || cmdline(p).contains("JobRunnerMain") && cmdline(p).contains(id))
                    .findFirst().orElse(null);
            Thread.sleep(100);
        }
        assertThat(child).as("the job's child JVM").isNotNull();
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).start();
        assertThat(stop.waitFor()).isZero();

        JsonNode job = api.awaitTerminal(id, Duration.ofMinutes(2));

        assertThat(job.path("status").asString()).isEqualTo("FAILED");
        assertThat(job.path("error").path("code").asString()).isEqualTo("STALLED");
        assertThat(job.path("error").path("message").asString()).contains("no progress for PT5S");
        assertThat(child.isAlive()).isFalse();
        // the slot is free again: the next job runs
        String next = api.submit("device-check", "{\"matrixSize\": 8}");
        assertThat(api.awaitTerminal(next, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("SUCCEEDED");
    }

    /** /proc/PID/cmdline, which ProcessHandle.Info does not always report. */
    private static String cmdline(ProcessHandle p) {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline")))
                    .replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
