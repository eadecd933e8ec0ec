package org.masktune.worker;

import ai.djl.util.cuda.CudaUtils;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.masktune.jobs.JobQueue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The worker pool runs on db-scheduler: jobs wait in its {@code scheduled_tasks} table, are
 * locked with SKIP LOCKED so one instance runs each, and an execution whose instance stops
 * heartbeating is revived elsewhere. The scheduler shares the application's transactions, so a
 * job row and its queue entry are committed together.
 */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    static final TaskDescriptor<String> RUN_JOB = TaskDescriptor.of("run-job", String.class);

    /** Beyond the shutdown grace: time for a killed child to exit and its job's re-queue to be written. */
    static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(10);

    @Bean
    DevicePool devicePool(WorkerProperties properties) {
        return DevicePool.detect(properties.gpus(), properties.cpuSlots(), CudaUtils::getGpuCount);
    }

    @Bean
    WorkerIdentity workerIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return new WorkerIdentity(host + "-" + ProcessHandle.current().pid());
    }

    @Bean
    Scheduler scheduler(DataSource dataSource, DevicePool pool, WorkerProperties properties, WorkerIdentity identity,
            ObjectProvider<JobRunner> runner, ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        // a one-time task whose execution is removed when the job ended, or released (unpicked, due now) when the job was
        // handed back by a shutdown, so that any instance's next poll takes it without waiting for a heartbeat to expire
        CustomTask<String> runJob = Tasks.custom(RUN_JOB)
                .onDeadExecutionRevive()
                .execute((instance, context) -> switch (runner.getObject().run(UUID.fromString(instance.getData()))) {
                    case DONE -> new CompletionHandler.OnCompleteRemove<>();
                    case REQUEUED -> (complete, operations) -> operations.reschedule(complete, java.time.Instant.now());
                });
        var builder = Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), runJob);
        // db-scheduler's own counters and timers (executions, failures, polls) on /actuator/prometheus
        meters.ifAvailable(registry -> builder.statsRegistry(
                new com.github.kagkarlsson.scheduler.stats.MicrometerStatsRegistry(registry, java.util.List.of(runJob))));
        return builder
                .schedulerName(new SchedulerName.Fixed(identity.name()))
                .threads(pool.size())
                .pollingInterval(properties.pollInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(properties.missedHeartbeatsLimit())
                .enableImmediateExecution()
                .enablePriority()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
    }

    @Bean
    JobQueue jobQueue(Scheduler scheduler) {
        return new DbSchedulerJobQueue(scheduler, scheduler::triggerCheckForDueExecutions);
    }

    /**
     * Starts the workers once the context (Flyway included) is ready, and stops them first on shutdown (the default phase
     * stops before the web server and the DataSource). A db-scheduler {@link Scheduler} cannot start again once stopped, so
     * a stopped context is not restarted (the tests keep their cached contexts running:
     * {@code spring.test.context.cache.pause=never} in src/test/resources/spring.properties).
     *
     * <p>Shutdown (SIGTERM) in this order: the scheduler stops taking work; running children get {@code cancel} and stop
     * at their next batch (killed after {@code masktune.worker.shutdown-grace-period}); as each run ends its job is
     * re-queued uncounted and its queue entry released, due now; then the scheduler stops (its heartbeats last).
     */
    @Bean
    SmartLifecycle schedulerLifecycle(Scheduler scheduler, ObjectProvider<JobRunner> runner, WorkerProperties properties) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                scheduler.pause();
                JobRunner jobs = runner.getIfAvailable();
                if (jobs != null) {
                    jobs.stopRunning();
                    // the children are killed at the grace; what is left is the child's exit and a few database writes
                    Duration bound = properties.shutdownGracePeriod().plus(SHUTDOWN_MARGIN);
                    try {
                        if (!jobs.awaitIdle(bound)) {
                            org.slf4j.LoggerFactory.getLogger(WorkerConfiguration.class)
                                    .warn("Jobs still running {} after shutdown began; stopping the scheduler anyway", bound);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                scheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
