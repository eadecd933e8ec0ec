package org.masktune.worker;

import com.sun.jna.Library;
import com.sun.jna.Native;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Lowers the scheduling priority (raises the nice value) of each thread the first time it serves a
 * request. The jobs' child JVMs keep nice 0, so when polls and training compete for the same cores
 * the kernel gives training its share first and the API answers with what is left — instead of the
 * API's request threads, one per connection, outweighing the two threads of a training child.
 * Linux keeps the nice value per thread, and raising one's own needs no privilege; on other systems,
 * or where the call fails, this does nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestThreadPriority implements Filter {

    private static final Logger log = LoggerFactory.getLogger(RequestThreadPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final int CALLING_THREAD = 0;

    /** The one libc call needed, bound through JNA (already on the classpath for DJL). */
    interface CLibrary extends Library {
        int setpriority(int which, int who, int prio);
    }

    private final int nice;
    private final CLibrary libc;
    private final ThreadLocal<Boolean> lowered = ThreadLocal.withInitial(() -> false);

    RequestThreadPriority(WorkerProperties properties) {
        this.nice = properties.requestThreadNice();
        this.libc = nice > 0 ? load() : null;
    }

    private static CLibrary load() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return null;
        }
        try {
            return Native.load("c", CLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            log.warn("Request threads keep their priority: libc not loadable ({})", e.getMessage());
            return null;
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (libc != null && !lowered.get()) {
            lowered.set(true);
            if (libc.setpriority(PRIO_PROCESS, CALLING_THREAD, nice) != 0) {
                log.warn("Could not set nice {} on request thread {}", nice, Thread.currentThread().getName());
            }
        }
        chain.doFilter(request, response);
    }
}
