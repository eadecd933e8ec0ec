package org.masktune.datasets;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.masktune.ml.data.DatasetFormatException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Dataset errors as problem+json, in the shape of the service's other problems: title, detail and,
 * where an input field is at fault, {@code errors: [{field, message}]}.
 */
@RestControllerAdvice
class DatasetProblemAdvice {

    record FieldProblem(String field, String message) {
    }

    @ExceptionHandler(DatasetNotFoundException.class)
    ProblemDetail notFound(DatasetNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Dataset not found", e.getMessage());
    }

    @ExceptionHandler(DatasetAlreadyExistsException.class)
    ProblemDetail nameTaken(DatasetAlreadyExistsException e) {
        return withField(problem(HttpStatus.CONFLICT, "Dataset name taken", e.getMessage()), "name", e.getMessage());
    }

    @ExceptionHandler(InvalidDatasetSpecException.class)
    ProblemDetail invalidSpec(InvalidDatasetSpecException e) {
        String field = e.field("spec");
        return withField(problem(HttpStatus.BAD_REQUEST, "Invalid request", field + ": " + e.getMessage()), field, e.getMessage());
    }

    /** The spec is fine but the data is not: a missing, corrupt or truncated file, named in the message. */
    @ExceptionHandler(DatasetFormatException.class)
    ProblemDetail unreadable(DatasetFormatException e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Dataset cannot be read", e.getMessage());
        problem.setProperty("file", e.file());
        return withField(problem, "spec.path", e.getMessage());
    }

    /**
     * An unreadable registration body, answered by {@link DatasetController}'s own handler. It differs
     * from the service-wide one in one case: when a spec's constructor refused a value (e.g. format
     * BUILTIN without name), Jackson wraps that IllegalArgumentException, and the client should get
     * its message under the JSON path of the object that refused it, e.g. {@code spec}.
     */
    static ProblemDetail unreadableBody(HttpMessageNotReadableException e) {
        DatabindException bind = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (bind == null && t instanceof DatabindException d) {
                bind = d;
            }
            root = t;
        }
        if (bind != null && !bind.getPath().isEmpty()) {
            String field = bind.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message = root instanceof IllegalArgumentException refused && refused.getMessage() != null
                    ? refused.getMessage() : bind.getOriginalMessage();
            return withField(problem(HttpStatus.BAD_REQUEST, "Invalid request", field + ": " + message), field, message);
        }
        String detail = root instanceof JacksonException json ? "malformed JSON: " + json.getOriginalMessage()
                : "the request body is missing or unreadable";
        return problem(HttpStatus.BAD_REQUEST, "Malformed request body", detail);
    }

    private static ProblemDetail withField(ProblemDetail problem, String field, String message) {
        problem.setProperty("errors", List.of(new FieldProblem(field, message)));
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
