package org.masktune.artifacts;

import org.masktune.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * problem+json for this package's exceptions, in the same shape as {@code web.ProblemDetailsAdvice}
 * (kept here so the checkpoint feature stays in one folder).
 */
@RestControllerAdvice
class ArtifactProblems {

    @ExceptionHandler(ArtifactNotFoundException.class)
    ProblemDetail notFound(ArtifactNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Checkpoint not found", e.getMessage());
    }

    @ExceptionHandler(ArtifactCorruptException.class)
    ProblemDetail corrupt(ArtifactCorruptException e) {
        ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "Checkpoint corrupt", e.getMessage());
        problem.setProperty("checkpointId", e.id());
        problem.setProperty("expectedSha256", e.expectedSha256());
        problem.setProperty("actualSha256", e.actualSha256());
        return problem;
    }

    @ExceptionHandler(CheckpointNotExportableException.class)
    ProblemDetail notExportable(CheckpointNotExportableException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Checkpoint not exportable", e.getMessage());
        problem.setProperty("checkpointId", e.id());
        return problem;
    }

    @ExceptionHandler(RangeNotSatisfiableException.class)
    ResponseEntity<ProblemDetail> rangeNotSatisfiable(RangeNotSatisfiableException e) {
        return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                .header(HttpHeaders.CONTENT_RANGE, "bytes */" + e.size())
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .body(problem(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Range not satisfiable", e.getMessage()));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        return Problems.of(status, title, detail);
    }
}
