package org.masktune.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.runner.JobRunnerMain;
import tools.jackson.databind.json.JsonMapper;

class ChildJvmTest {

    @Test
    void startsTheRunnerFromThisClasspathWithTheConfiguredOptionsAndOffline() throws Exception {
        ChildJvm child = new ChildJvm("-Xmx1g  -XX:+UseSerialGC", Duration.ofSeconds(1), Duration.ofSeconds(5), JsonMapper.builder().build());

        List<String> command = child.command(Path.of("/work/job-spec.json"));

        assertThat(command.get(0)).endsWith("/bin/java");
        assertThat(command).containsSubsequence("-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), JobRunnerMain.class.getName(), "/work/job-spec.json");
    }
}
