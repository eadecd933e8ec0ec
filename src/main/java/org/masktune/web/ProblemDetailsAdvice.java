package org.masktune.web;

import java.util.List;
import java.util.stream.Collectors;
import org.masktune.jobs.IdempotencyConflictException;
import org.masktune.web.Problems.FieldProblem;
import org.masktune.jobs.InvalidJobConfigException;
import org.masktune.jobs.InvalidJobStateException;
import org.masktune.jobs.JobNotFoundException;
import org.masktune.jobs.UnknownJobTypeException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error is RFC 9457 application/problem+json. Validation problems carry an {@code errors}
 * list of {@code {field, message}} so a client can point at the offending input.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    @ExceptionHandler(JobNotFoundException.class)
    ProblemDetail notFound(JobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Job not found", e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, e.title(), e.getMessage());
    }

    @ExceptionHandler(UnknownJobTypeException.class)
    ProblemDetail unknownType(UnknownJobTypeException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown job type", e.getMessage());
    }

    @ExceptionHandler({InvalidJobStateException.class})
    ProblemDetail invalidState(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, "Invalid job state", e.getMessage());
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
        return problem(HttpStatus.CONFLICT, "Idempotency key reused", e.getMessage());
    }

    @ExceptionHandler(InvalidJobConfigException.class)
    ProblemDetail invalidConfig(InvalidJobConfigException e) {
        return Problems.ofField(HttpStatus.BAD_REQUEST, "Invalid request", e.field(), e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail illegalArgument(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> new FieldProblem(e.getField(), message(e)))
                .toList();
        List<FieldProblem> global = ex.getBindingResult().getGlobalErrors().stream()
                .map(e -> new FieldProblem(e.getObjectName(), e.getDefaultMessage()))
                .toList();
        List<FieldProblem> all = new java.util.ArrayList<>(errors);
        all.addAll(global);
        return validationProblem(all, headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors bodyErrors
                        ? bodyErrors.getFieldErrors().stream().map(e -> new FieldProblem(e.getField(), message(e)))
                        : result.getResolvableErrors().stream()
                                .map(error -> new FieldProblem(parameterName(result.getMethodParameter()), messageOf(error))))
                .toList();
        return validationProblem(errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        String field = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        String expected = ex.getRequiredType() == null ? "another type" : ex.getRequiredType().getSimpleName();
        return validationProblem(List.of(new FieldProblem(field, "'" + ex.getValue() + "' is not a valid " + expected)), headers);
    }

    /**
     * Wrong types name the JSON path; when a config record's constructor refused a value (Jackson wraps
     * that IllegalArgumentException), its message is what the client needs, under the path of the record.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        DatabindException bind = null;
        Throwable root = ex;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestLimits.BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).headers(headers)
                        .body(problem(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", tooLarge.getMessage()));
            }
            if (bind == null && t instanceof DatabindException d) {
                bind = d;
            }
            root = t;
        }
        if (bind != null && !bind.getPath().isEmpty()) {
            String field = bind.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message;
            if (bind instanceof UnrecognizedPropertyException unknown) {
                message = "unknown field; known fields: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            } else if (bind instanceof InvalidFormatException format && format.getValue() instanceof Number
                    && isInteger(format.getTargetType())) {
                message = "must be a whole number (was " + format.getValue() + ")";
            } else if (root instanceof IllegalArgumentException refused && refused.getMessage() != null) {
                message = refused.getMessage();
            } else {
                message = withoutClassNames(bind.getOriginalMessage());
            }
            return validationProblem(List.of(new FieldProblem(field, message)), headers);
        }
        if (root instanceof IllegalArgumentException refused && refused.getMessage() != null) {
            // a record constructor refused the body as a whole
            return validationProblem(List.of(new FieldProblem("body", refused.getMessage())), headers);
        }
        String detail = root instanceof JacksonException json ? "malformed JSON: " + withoutClassNames(json.getOriginalMessage())
                : "the request body is missing or unreadable";
        return ResponseEntity.badRequest().headers(headers).body(problem(HttpStatus.BAD_REQUEST, "Malformed request body", detail));
    }

    private static boolean isInteger(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == java.math.BigInteger.class;
    }

    /** Jackson names Java types ({@code `org.masktune.x.Y`}); clients need only the simple name. */
    static String withoutClassNames(String message) {
        return message == null ? null : message.replaceAll("(?:[a-z_][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)", "$1");
    }

    private ResponseEntity<Object> validationProblem(List<FieldProblem> errors, HttpHeaders headers) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        ProblemDetail problem = Problems.withErrors(problem(HttpStatus.BAD_REQUEST, "Invalid request", detail), errors);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    private static String message(FieldError error) {
        Object rejected = error.getRejectedValue();
        return error.getDefaultMessage() + (rejected == null ? "" : " (was " + rejected + ")");
    }

    private static String messageOf(MessageSourceResolvable error) {
        return error.getDefaultMessage();
    }

    private static String parameterName(org.springframework.core.MethodParameter parameter) {
        var header = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        var param = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        return parameter.getParameterName();
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        return Problems.of(status, title, detail);
    }

}
