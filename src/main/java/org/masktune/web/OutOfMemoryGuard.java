package org.masktune.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One request that runs out of memory must not take the service with it. In a request thread the
 * error is caught here (the request's allocations become garbage as the stack unwinds) and answered
 * as a 503 problem; anywhere else (Tomcat's poller, the scheduler, Hikari) nothing can repair the
 * thread it killed, so the process exits with code 3 for its supervisor to restart it instead of
 * staying up unable to answer ({@code masktune.web.exit-on-out-of-memory}, default on).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class OutOfMemoryGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(OutOfMemoryGuard.class);
    public static final int EXIT_CODE = 3;

    private final boolean exitOnOutOfMemory;

    OutOfMemoryGuard(@Value("${masktune.web.exit-on-out-of-memory:true}") boolean exitOnOutOfMemory) {
        this.exitOnOutOfMemory = exitOnOutOfMemory;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (OutOfMemoryError e) {
            answer(request, response, e);
        } catch (ServletException e) {
            if (e.getCause() instanceof OutOfMemoryError oom) {
                answer(request, response, oom);
            } else {
                throw e;
            }
        }
    }

    private static void answer(HttpServletRequest request, HttpServletResponse response, OutOfMemoryError e) throws IOException {
        log.error("{} {} ran out of memory ({}); the request was refused and the service goes on", request.getMethod(),
                request.getRequestURI(), e.getMessage());
        if (!response.isCommitted()) {
            response.reset();
            response.setStatus(503);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Out of memory\",\"status\":503,"
                    + "\"detail\":\"the service ran out of memory answering this request; it was refused, other requests go on\"}");
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void installUncaughtHandler() {
        if (!exitOnOutOfMemory) {
            return;
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError) {
                System.err.println("OutOfMemoryError in thread " + thread.getName() + "; exiting with code " + EXIT_CODE
                        + " so that a supervisor restarts the service");
                Runtime.getRuntime().halt(EXIT_CODE);
            }
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        });
    }
}
