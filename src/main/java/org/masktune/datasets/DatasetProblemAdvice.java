package org.masktune.datasets;

import java.util.List;
import org.masktune.ml.data.DatasetFormatException;
import org.masktune.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Dataset errors as problem+json, in the shape of the service's other problems: title, detail and,
 * where an input field is at fault, {@code errors: [{field, message}]}.
 */
@RestControllerAdvice
class DatasetProblemAdvice {

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

    private static ProblemDetail withField(ProblemDetail problem, String field, String message) {
        return Problems.withErrors(problem, List.of(new Problems.FieldProblem(field, message)));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        return Problems.of(status, title, detail);
    }
}
