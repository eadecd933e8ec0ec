package org.masktune.evaluation;

import org.masktune.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Evaluation errors as problem+json, in the shape of the service's other problems. */
@RestControllerAdvice
class EvaluationProblemAdvice {

    @ExceptionHandler(EvaluationNotFoundException.class)
    ProblemDetail notFound(EvaluationNotFoundException e) {
        ProblemDetail problem = Problems.of(HttpStatus.NOT_FOUND, "Evaluation not found", e.getMessage());
        problem.setProperty("evaluation", e.id());
        return problem;
    }
}
