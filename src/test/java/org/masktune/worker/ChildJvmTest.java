package org.masktune.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void childSeesOnlyItsGpuAndKeepsMallocMemoryUnlessTheServiceSetItsOwnTunables() {
        Map<String, String> plain = new HashMap<>(Map.of("PATH", "/usr/bin", "CUDA_VISIBLE_DEVICES", "0,1"));
        ChildJvm.configureEnvironment(plain, 1);
        assertThat(plain).containsEntry("CUDA_VISIBLE_DEVICES", "1")
                .containsEntry("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=268435456")
                .containsEntry("PATH", "/usr/bin");

        Map<String, String> own = new HashMap<>(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"));
        ChildJvm.configureEnvironment(own, null);
        assertThat(own).containsEntry("CUDA_VISIBLE_DEVICES", "").containsEntry("GLIBC_TUNABLES", "glibc.malloc.arena_max=2");
    }
}
