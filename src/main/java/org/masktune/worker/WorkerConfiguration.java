package org.masktune.worker;

import ai.djl.util.cuda.CudaUtils;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
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
        OneTimeTask<String> runJob = Tasks.oneTime(RUN_JOB)
                .onDeadExecutionRevive()
                .execute((instance, context) -> runner.getObject().run(UUID.fromString(instance.getData())));
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
        return new DbSchedulerJobQueue(scheduler);
    }

    /**
     * Starts the workers once the context (Flyway included) is ready, and stops them first on shutdown. A db-scheduler
     * {@link Scheduler} cannot start again once stopped, so a stopped context is not restarted (the tests keep their
     * cached contexts running: {@code spring.test.context.cache.pause=never} in src/test/resources/spring.properties).
     */
    @Bean
    SmartLifecycle schedulerLifecycle(Scheduler scheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
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
