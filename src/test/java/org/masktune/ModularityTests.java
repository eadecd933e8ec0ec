package org.masktune;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The ML core and the child-JVM runner stay plain Java: no Spring, no JPA, no service packages. */
class ModularityTests {

    /** Imported once for all rules (a new instance per test method imported the classes seven times, 2 s each). */
    private static final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.masktune");

    @Test
    void mlCoreDoesNotKnowSpringOrTheDatabase() {
        noClasses().that().resideInAPackage("org.masktune.ml..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..", "org.hibernate..")
                .check(classes);
    }

    @Test
    void mlCoreDoesNotDependOnTheService() {
        noClasses().that().resideInAPackage("org.masktune.ml..")
                .should().dependOnClassesThat(resideInAPackage("org.masktune..").and(resideOutsideOfPackage("org.masktune.ml..")))
                .check(classes);
    }

    @Test
    void childRunnerDoesNotKnowSpringOrTheDatabase() {
        noClasses().that().resideInAPackage("org.masktune.runner..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..", "org.hibernate..")
                .check(classes);
    }

    @Test
    void cliIsAPlainClientOfTheHttpApi() {
        noClasses().that().resideInAPackage("org.masktune.cli..")
                .should().dependOnClassesThat(resideInAnyPackageOf("org.springframework..", "jakarta.persistence..", "org.hibernate..")
                        .or(resideInAPackage("org.masktune..").and(resideOutsideOfPackage("org.masktune.cli.."))))
                .check(classes);
    }

    @Test
    void childSideTasksDoNotKnowSpringOrTheDatabase() {
        noClasses().that().resideInAPackage("org.masktune..task..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..", "org.hibernate..")
                .because("each feature's child-JVM code lives in its task sub-package and runs with no Spring context and no database")
                .check(classes);
    }

    @Test
    void everyJobTaskLivesInATaskPackage() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that().implement(org.masktune.runner.JobTask.class)
                .should().resideInAPackage("org.masktune..task..")
                .check(classes);
    }

    @Test
    void onlyTheJobsPackageKnowsTheJobRepository() {
        noClasses().that().resideOutsideOfPackage("org.masktune.jobs..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.masktune.jobs.JobRepository")
                .because("other features read jobs through JobLookup and change them through JobService")
                .check(classes);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> resideInAnyPackageOf(
            String... packages) {
        return com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(packages);
    }
}
