package org.masktune.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class that runs beside the sequence of all other test classes (see junit-platform.properties): for classes
 * that mostly wait and share no state with the rest (their own application context and database, or processes of
 * their own). The lock keeps it to one such class at a time, and makes JUnit run its methods one after another, in
 * their order, on one thread.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("beside-other-tests")
public @interface BesideOtherTests {

    /**
     * The test properties of Spring test classes beside the sequence ({@code @TestPropertySource(properties = CONTEXT)}):
     * they share one application context (and database) apart from the sequence's, with one worker slot. The lock
     * keeps them from running at the same time, so none sees another's jobs running.
     */
    String CONTEXT = "masktune.worker.cpu-slots=1";
}
