package org.masktune.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.masktune.jobs.JobService;
import org.masktune.support.BesideOtherTests;
import org.masktune.support.TestDatabase;

/**
 * Two service instances, each its own OS process, on one PostgreSQL: jobs submitted to either run exactly once; an
 * instance killed with -9 has its job taken over by the other once its heartbeat expired; a SIGTERM'd instance hands
 * its running job back at once and exits within its shutdown grace, and the other runs the job without waiting for a
 * heartbeat to expire.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@BesideOtherTests // its own database and service processes
class TwoInstancesTests {

    /** Heartbeat every second, dead after 8 missed: the takeover of a killed instance's job waits about 8 s. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final int MISSED_HEARTBEATS = 8;
    static final Duration HEARTBEAT_EXPIRY = HEARTBEAT.multipliedBy(MISSED_HEARTBEATS);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    static final int SLOTS_PER_INSTANCE = 3;
    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** A job that runs long enough to be caught running: libtorch loads, then it holds (honouring cancel every 100 ms). */
    static final String HOLDING_JOB = "{\"matrixSize\": 8, \"repeats\": 1, \"holdSeconds\": 6}";

    static TestDatabase.Standalone db;
    static Path root;
    static final List<ServiceInstance> started = new CopyOnWriteArrayList<>();
    static final List<ProcessHandle> orphans = new CopyOnWriteArrayList<>();
    static ServiceInstance a;
    static ServiceInstance b;
    private static Thread cleanupHook;

    @BeforeAll
    static void startDatabaseAndTwoInstances() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc to find child JVMs");
        root = Files.createTempDirectory("masktune-two-instances");
        cleanupHook = new Thread(TwoInstancesTests::killEverything, "two-instances-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        db = TestDatabase.startStandalone();
        // both start at once: Flyway's lock lets only one migrate, the other waits and finds the schema current
        a = start("a");
        b = start("b");
        a.awaitReady(START_TIMEOUT);
        b.awaitReady(START_TIMEOUT);
        assertThat(a.workerName()).isNotEqualTo(b.workerName());
    }

    @AfterAll
    static void killEverything() {
        for (ServiceInstance instance : started) {
            instance.killAll();
        }
        orphans.forEach(ProcessHandle::destroyForcibly);
        if (db != null) {
            try {
                db.close();
            } catch (Exception e) {
                System.err.println("could not stop the test database: " + e);
            }
            db = null;
        }
        if (root != null) {
            try {
                org.springframework.util.FileSystemUtils.deleteRecursively(root);
            } catch (java.io.IOException e) {
                System.err.println("could not delete " + root + ": " + e);
            }
        }
        if (cleanupHook != null && Thread.currentThread() != cleanupHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting already
            }
        }
    }

    @Test
    @Order(1)
    void hundredJobsSubmittedAcrossBothInstancesEachRunExactlyOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        long begin = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            ids.add((i % 2 == 0 ? a : b).submitDeviceCheck("{\"matrixSize\": 8, \"repeats\": 1}"));
        }
        // about 1.6 CPU-seconds per job (a child JVM loading libtorch): ~80 s on 2 quiet cores, several minutes on a
        // loaded machine; what fails the test is no job finishing for a minute, not the total
        awaitAllTerminal(ids, Duration.ofMinutes(1), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - begin) / 1e9;

        Map<String, String> status = new HashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        Map<String, String> workers = new HashMap<>();
        query("select id::text, status, attempt, worker from jobs where id = any(?::uuid[])", ps -> ps.setArray(1, uuids(ps, ids)), rs -> {
            status.put(rs.getString(1), rs.getString(2));
            attempts.put(rs.getString(1), rs.getInt(3));
            workers.put(rs.getString(1), rs.getString(4));
        });
        Map<String, Integer> starts = new HashMap<>();
        query("select job_id::text, count(*) from job_events where to_status = 'RUNNING' and from_status is distinct from 'RUNNING'"
                + " and job_id = any(?::uuid[]) group by job_id", ps -> ps.setArray(1, uuids(ps, ids)),
                rs -> starts.put(rs.getString(1), rs.getInt(2)));
        Map<String, Long> perWorker = workers.values().stream().collect(Collectors.groupingBy(w -> w, Collectors.counting()));
        System.out.printf("100 jobs on two instances in %.1f s; jobs per worker: %s%n", seconds, perWorker);

        assertThat(status).hasSize(100);
        assertThat(status.values()).as("every job SUCCEEDED").containsOnly("SUCCEEDED");
        assertThat(attempts.values()).as("attempts").containsOnly(1);
        assertThat(starts).as("RUNNING transitions per job").hasSize(100);
        assertThat(starts.values()).as("RUNNING transitions per job").containsOnly(1);
        assertThat(perWorker.keySet()).containsExactlyInAnyOrder(a.workerName(), b.workerName());
        assertThat(perWorker.values()).as("both instances ran jobs").allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(10));
        assertThat(count("select count(*) from scheduled_tasks where task_instance = any(?::text[])", ps -> ps.setArray(1,
                ps.getConnection().createArrayOf("text", ids.toArray())))).as("queue entries left").isZero();
    }

    @Test
    @Order(2)
    void killMinus9OfTheInstanceRunningAJobLetsTheOtherTakeItOverAndFinishIt() throws Exception {
        String id = a.submitDeviceCheck(HOLDING_JOB);
        ServiceInstance victim = awaitHoldingOn(id);
        ServiceInstance survivor = victim == a ? b : a;
        List<ProcessHandle> children = victim.children(id);
        assertThat(children).as("the job's child JVM under " + victim.label).hasSize(1);
        orphans.addAll(children);

        long killedAt = System.nanoTime();
        Instant killedAtWall = Instant.now();
        victim.process.destroyForcibly(); // SIGKILL: no shutdown hook, no re-queue, its heartbeat just stops
        assertThat(victim.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        // the orphaned child sees its stdin close and exits rather than run unsupervised
        ProcessHandle child = children.get(0);
        assertThat(child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
        double childGone = (System.nanoTime() - killedAt) / 1e9;

        EventRow takeover = awaitEvent(id, e -> e.to.equals("RUNNING") && e.reason.contains(survivor.workerName()), Duration.ofMinutes(1));
        // the replacement starts only now, so that the job's taker can only be the survivor; it starts while the job runs
        ServiceInstance replacement = start(victim.label + "2");
        JobRow job = awaitTerminal(id, Duration.ofMinutes(2));
        List<EventRow> events = events(id);
        Duration takeoverAfter = Duration.between(killedAtWall, takeover.at);
        System.out.printf("kill -9: orphaned child gone after %.1f s; takeover %.1f s after the kill (heartbeat expiry %s)%n",
                childGone, takeoverAfter.toMillis() / 1e3, HEARTBEAT_EXPIRY);

        assertThat(job.status).as(events.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.worker).isEqualTo(survivor.workerName());
        // a lost worker counts an attempt (max-attempts guards against a job that kills its instances)
        assertThat(job.attempt).isEqualTo(2);
        assertThat(events).anySatisfy(e -> assertThat(e.reason)
                .contains(victim.workerName() + " stopped heartbeating during attempt 1; re-queued"));

        if (victim == a) {
            a = replacement.awaitReady(START_TIMEOUT);
        } else {
            b = replacement.awaitReady(START_TIMEOUT);
        }
    }

    @Test
    @Order(3)
    void sigtermHandsRunningJobsToTheOtherInstanceAtOnceWithoutCountingAnAttemptAndKillsAChildThatDoesNotStop()
            throws Exception {
        // a job whose child cannot stop (SIGSTOP, so it never reads the cancel): it is killed at the end of the grace
        String stuck = b.submitDeviceCheck(HOLDING_JOB);
        ServiceInstance victim = awaitHoldingOn(stuck);
        ServiceInstance survivor = victim == a ? b : a;
        List<ProcessHandle> stuckChildren = victim.children(stuck);
        assertThat(stuckChildren).as("the stuck job's child JVM under " + victim.label).hasSize(1);
        orphans.addAll(stuckChildren);
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(stuckChildren.get(0).pid())).start().waitFor()).isZero();
        // and a job on the same instance whose child stops at its next batch
        String id = submitUntilRunningOn(victim, HOLDING_JOB);
        List<ProcessHandle> children = victim.children(id);
        assertThat(children).as("the job's child JVM under " + victim.label).hasSize(1);
        orphans.addAll(children);

        Instant termAtWall = Instant.now();
        long termAt = System.nanoTime();
        victim.process.destroy(); // SIGTERM
        boolean exited = victim.process.waitFor(SHUTDOWN_GRACE.plusSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        Duration exitTook = Duration.ofNanos(System.nanoTime() - termAt);
        assertThat(exited).as("exited after SIGTERM; log:\n" + victim.logTail()).isTrue();
        boolean childAliveAfterExit = children.get(0).isAlive();
        boolean stuckChildAliveAfterExit = stuckChildren.get(0).isAlive();

        JobRow job = awaitTerminal(id, Duration.ofMinutes(2));
        JobRow stuckJob = awaitTerminal(stuck, Duration.ofMinutes(2));
        Handover handover = handover(id);
        Handover stuckHandover = handover(stuck);
        System.out.printf("SIGTERM: %s exited after %.1f s (code %d; grace %s); job stopped at its next batch: re-queued %.2f s after"
                        + " SIGTERM, started on %s %.2f s later; stuck job: re-queued %.2f s after SIGTERM, started %.2f s later"
                        + " (heartbeat expiry %s)%n",
                victim.label, exitTook.toMillis() / 1e3, victim.process.exitValue(), SHUTDOWN_GRACE,
                Duration.between(termAtWall, handover.requeue.at).toMillis() / 1e3, survivor.label, handover.gap().toMillis() / 1e3,
                Duration.between(termAtWall, stuckHandover.requeue.at).toMillis() / 1e3, stuckHandover.gap().toMillis() / 1e3,
                HEARTBEAT_EXPIRY);

        // the instance waited for the stuck child until the grace, killed it, and exited right after
        assertThat(exitTook).as("exit after SIGTERM").isBetween(SHUTDOWN_GRACE.minusSeconds(1), SHUTDOWN_GRACE.plusSeconds(5));
        assertThat(victim.process.exitValue()).as("not killed: exit code").isNotEqualTo(137);
        assertThat(childAliveAfterExit).as("the child stopped with its instance").isFalse();
        assertThat(stuckChildAliveAfterExit).as("the stuck child was killed").isFalse();
        // the job whose child stopped was handed back at once, not after the grace
        assertThat(Duration.between(termAtWall, handover.requeue.at)).isLessThan(Duration.ofSeconds(3));
        for (Handover h : List.of(handover, stuckHandover)) {
            assertThat(h.requeue.reason).contains(JobService.SHUTDOWN_REASON).contains(victim.workerName());
            assertThat(h.restart.reason).contains(survivor.workerName());
            assertThat(h.gap()).as("handover without waiting for the heartbeat").isLessThan(HEARTBEAT_EXPIRY);
            assertThat(h.events).noneSatisfy(e -> assertThat(e.reason).contains("stopped heartbeating"));
            assertThat(h.events.stream().filter(e -> e.to.equals("RUNNING") && !"RUNNING".equals(e.from)).count()).isEqualTo(2);
        }
        for (JobRow row : List.of(job, stuckJob)) {
            assertThat(row.status).as(handover.events + " / " + stuckHandover.events).isEqualTo("SUCCEEDED");
            assertThat(row.worker).isEqualTo(survivor.workerName());
            assertThat(row.attempt).as("the shutdown does not count an attempt").isEqualTo(1);
        }
    }

    record Handover(EventRow requeue, EventRow restart, List<EventRow> events) {
        Duration gap() {
            return Duration.between(requeue.at, restart.at);
        }
    }

    private static Handover handover(String id) throws SQLException {
        List<EventRow> events = events(id);
        EventRow requeue = events.stream().filter(e -> "RUNNING".equals(e.from) && e.to.equals("QUEUED"))
                .findFirst().orElseThrow(() -> new AssertionError("no re-queue in " + events));
        EventRow restart = events.stream().filter(e -> e.to.equals("RUNNING") && !"RUNNING".equals(e.from) && e.at.isAfter(requeue.at))
                .findFirst().orElseThrow(() -> new AssertionError("no second start in " + events));
        return new Handover(requeue, restart, events);
    }

    /**
     * Submits to {@code instance} until the job runs there (the other instance's poll may take a submit first: that
     * job is cancelled and another submitted).
     */
    private static String submitUntilRunningOn(ServiceInstance instance, String config) throws Exception {
        for (int tries = 0; tries < 10; tries++) {
            String id = instance.submitDeviceCheck(config);
            ServiceInstance runner = awaitHoldingOn(id);
            if (runner == instance) {
                return id;
            }
            (runner == a ? a : b).cancel(id);
            awaitTerminal(id, Duration.ofMinutes(1));
        }
        throw new AssertionError("ten submits to " + instance.label + " all ran elsewhere");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static ServiceInstance start(String label) throws Exception {
        ServiceInstance instance = ServiceInstance.start(label, db, root, List.of(
                "--masktune.worker.cpu-slots=" + SLOTS_PER_INSTANCE,
                "--masktune.worker.poll-interval=250ms",
                "--masktune.worker.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms",
                "--masktune.worker.missed-heartbeats-limit=" + MISSED_HEARTBEATS,
                "--masktune.worker.cancel-grace-period=10s",
                "--masktune.worker.shutdown-grace-period=" + SHUTDOWN_GRACE.toSeconds() + "s",
                "--masktune.worker.loader-threads=0",
                "--masktune.worker.child-jvm-options=-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "--masktune.jobs.watch-interval=200ms"));
        started.add(instance);
        return instance;
    }

    /** Waits until the job's child has loaded libtorch and holds, and returns the instance running it. */
    private static ServiceInstance awaitHoldingOn(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            JobRow job = job(id);
            if (job != null && job.status.equals("RUNNING") && job.progressMessage != null && job.progressMessage.startsWith("holding")) {
                for (ServiceInstance instance : List.of(a, b)) {
                    if (instance.workerName().equals(job.worker)) {
                        return instance;
                    }
                }
                throw new AssertionError("job " + id + " runs on an unknown worker " + job.worker);
            }
            if (job != null && !job.status.equals("RUNNING") && !job.status.equals("QUEUED")) {
                throw new AssertionError("job " + id + " ended before it could be caught running: " + events(id));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not start holding: " + job(id));
    }

    record JobRow(String status, int attempt, String worker, String progressMessage) {
    }

    record EventRow(Instant at, String from, String to, String reason) {
    }

    private static JobRow job(String id) throws SQLException {
        List<JobRow> rows = new ArrayList<>();
        query("select status, attempt, worker, progress_message from jobs where id = ?::uuid", ps -> ps.setString(1, id),
                rs -> rows.add(new JobRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4))));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<EventRow> events(String id) throws SQLException {
        List<EventRow> rows = new ArrayList<>();
        query("select at, from_status, to_status, reason from job_events where job_id = ?::uuid order by id", ps -> ps.setString(1, id),
                rs -> rows.add(new EventRow(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4))));
        return rows;
    }

    private static EventRow awaitEvent(String id, java.util.function.Predicate<EventRow> wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (EventRow e : events(id)) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + ": no such event in " + timeout + ": " + events(id));
    }

    private static JobRow awaitTerminal(String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobRow job = job(id);
            if (job != null && List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.status)) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not finish in " + timeout + ": " + job(id) + " " + events(id));
    }

    /** Waits until every job has ended; fails when none ended for {@code stalled}, or after {@code timeout} in all. */
    private static void awaitAllTerminal(List<String> ids, Duration stalled, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long lastProgress = start;
        long done = 0;
        while (System.nanoTime() - lastProgress < stalled.toNanos() && System.nanoTime() - start < timeout.toNanos()) {
            long now = count("select count(*) from jobs where id = any(?::uuid[]) and status in ('SUCCEEDED', 'FAILED', 'CANCELLED')",
                    ps -> ps.setArray(1, uuids(ps, ids)));
            if (now == ids.size()) {
                return;
            }
            if (now > done) {
                done = now;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(done + " of " + ids.size() + " jobs finished (none for " + stalled + " or " + timeout + " in all)"
                + "\na:\n" + a.logTail() + "\nb:\n" + b.logTail());
    }

    private static java.sql.Array uuids(PreparedStatement ps, List<String> ids) throws SQLException {
        return ps.getConnection().createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray());
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    private static void query(String sql, Binder binder, RowReader reader) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    private static long count(String sql, Binder binder) throws SQLException {
        long[] n = {0};
        query(sql, binder, rs -> n[0] = rs.getLong(1));
        return n[0];
    }

}
