package org.masktune.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestThreadPriorityTest {

    @Test
    void aThreadServingARequestRunsAtTheConfiguredNiceValueAndOtherThreadsKeepTheirs() throws Exception {
        assumeThat(Path.of("/proc/thread-self/stat")).exists();
        RequestThreadPriority filter = new RequestThreadPriority(properties(7));
        AtomicInteger inRequest = new AtomicInteger(-100);
        AtomicInteger elsewhere = new AtomicInteger(-100);
        int before = niceOfThisThread();

        Thread worker = new Thread(() -> {
            try {
                filter.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                        (request, response) -> inRequest.set(niceOfThisThread()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        worker.start();
        worker.join();
        Thread other = new Thread(() -> elsewhere.set(niceOfThisThread()));
        other.start();
        other.join();

        assertThat(inRequest.get()).isEqualTo(before + 7);
        assertThat(elsewhere.get()).isEqualTo(before);
        assertThat(niceOfThisThread()).isEqualTo(before);
    }

    @Test
    void niceValuesOutsideZeroToNineteenAreRejected() {
        assertThatThrownBy(() -> properties(-1))
                .hasMessageContaining("request-thread-nice must be 0..19");
        assertThatThrownBy(() -> properties(20))
                .hasMessageContaining("request-thread-nice must be 0..19");
    }

    private static WorkerProperties properties(int nice) {
        return new WorkerProperties(1, null, Duration.ofSeconds(1), Duration.ofSeconds(10), 6, "-Xmx1g",
                Path.of("work"), Duration.ofSeconds(30), nice, Duration.ofMinutes(15), null);
    }

    /** Field 19 of /proc/thread-self/stat, counted after the command name's closing parenthesis. */
    private static int niceOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
