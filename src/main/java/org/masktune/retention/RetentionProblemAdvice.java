package org.masktune.retention;

import org.masktune.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice
class RetentionProblemAdvice {

    @ExceptionHandler(JobHasDependantsException.class)
    ProblemDetail dependants(JobHasDependantsException e) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "Job has dependants", e.getMessage());
        problem.setProperty("dependants", e.dependants());
        return problem;
    }
}
