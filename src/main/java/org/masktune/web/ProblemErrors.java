package org.masktune.web;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.masktune.datasets.DatasetProperties;
import org.masktune.worker.WorkerProperties;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * problem+json for the errors that do not come from a controller, and no server paths in any:
 * Tomcat's own rejections (its error report valve), the servlet error page ({@code /error}, which
 * replaces Boot's JSON), every ProblemDetail body (redacted through {@link ServerPaths}), and the
 * disk-space metrics, which would name the working directory.
 */
@Configuration(proxyBeanMethods = false)
class ProblemErrors {

    ProblemErrors(DatasetProperties datasets, WorkerProperties worker) {
        ServerPaths.register(datasets.roots(), worker.workDir());
    }

    @EventListener
    void useProblemValve(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof TomcatWebServer tomcat)) {
            return;
        }
        Host host = tomcat.getTomcat().getHost();
        if (host instanceof org.apache.catalina.core.StandardHost standard) {
            standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (java.util.Arrays.stream(host.getPipeline().getValves()).noneMatch(v -> v instanceof ProblemErrorReportValve)) {
            host.getPipeline().addValve(new ProblemErrorReportValve());
        }
    }

    /** Disk-space meters carry the folder as a tag; drop it. */
    @Bean
    MeterFilter noPathTags() {
        return MeterFilter.ignoreTags("path");
    }

    @RestController
    @io.swagger.v3.oas.annotations.Hidden
    static class ProblemErrorController implements ErrorController {

        @RequestMapping("/error")
        ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int status = code instanceof Integer i ? i : 500;
            HttpStatus resolved = HttpStatus.resolve(status);
            if (resolved == null) {
                resolved = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            String detail = status >= 500 ? "the service failed to answer this request; the cause is in its log"
                    : resolved.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
            ProblemDetail problem = Problems.of(resolved, resolved.getReasonPhrase(), detail);
            return ResponseEntity.status(resolved).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
    }

    @ControllerAdvice
    static class RedactProblems implements ResponseBodyAdvice<Object> {

        @Override
        public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
            return true;
        }

        @Override
        public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
            if (body instanceof ProblemDetail problem) {
                problem.setDetail(ServerPaths.redact(problem.getDetail()));
                if (problem.getProperties() != null) {
                    problem.getProperties().replaceAll((k, v) -> redactValue(v));
                }
            }
            return body;
        }

        private static Object redactValue(Object value) {
            if (value instanceof String s) {
                return ServerPaths.redact(s);
            }
            if (value instanceof java.util.List<?> list) {
                return list.stream().map(item -> item instanceof Problems.FieldProblem f
                        ? new Problems.FieldProblem(f.field(), ServerPaths.redact(f.message())) : redactValue(item)).toList();
            }
            return value;
        }
    }
}
