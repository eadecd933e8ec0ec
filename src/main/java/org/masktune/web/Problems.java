package org.masktune.web;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The one shape of every error body: RFC 9457 problem+json, with {@code errors: [{field, message}]} when input is at fault. */
public final class Problems {

    public record FieldProblem(String field, String message) {
    }

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }

    /** A 400-style problem naming one offending field; the detail reads "field: message". */
    public static ProblemDetail ofField(HttpStatus status, String title, String field, String message) {
        return withErrors(of(status, title, field + ": " + message), List.of(new FieldProblem(field, message)));
    }

    public static ProblemDetail withErrors(ProblemDetail problem, List<FieldProblem> errors) {
        problem.setProperty("errors", errors);
        return problem;
    }
}
