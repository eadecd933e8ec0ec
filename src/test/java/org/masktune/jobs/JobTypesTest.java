package org.masktune.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.masktune.devicecheck.DeviceCheckConfig;
import org.masktune.evaluation.EvaluateConfig;
import org.masktune.masktune.MaskTuneConfig;
import org.masktune.runner.JobTask;
import org.masktune.runner.JobType;
import org.masktune.runner.TaskContext;
import org.masktune.training.TrainConfig;
import org.junit.jupiter.api.Test;

/** A job type is named once; a handler without its child task (or a task without a handler) stops the service from starting. */
class JobTypesTest {

    private static final List<JobType<?>> ALL = List.of(TrainConfig.TYPE, MaskTuneConfig.TYPE, EvaluateConfig.TYPE, DeviceCheckConfig.TYPE);

    @Test
    void everyTypesTaskIsRegisteredForTheChildAndNamesTheSameType() throws Exception {
        Set<Class<? extends JobTask>> registered = JobHandlers.registeredTasks();
        assertEquals(ALL.size(), registered.size(), "registered tasks: " + registered);
        for (JobType<?> type : ALL) {
            assertTrue(registered.contains(type.task()), type + "'s task " + type.task().getName() + " is not in META-INF/services");
            assertSame(type, type.task().getDeclaredConstructor().newInstance().type(), type.task().getName());
        }
    }

    @Test
    void aHandlerWhoseTaskIsNotRegisteredStopsTheStart() {
        JobType<String> unregistered = new JobType<>("jtt", String.class, Unregistered.class);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JobHandlers(List.of(handler(TrainConfig.TYPE), handler(unregistered)), Set.of(TrainConfig.TYPE.task())));
        assertTrue(e.getMessage().contains("missing from META-INF/services/org.masktune.runner.JobTask: [" + Unregistered.class.getName() + "]"),
                e.getMessage());
    }

    @Test
    void aRegisteredTaskWithoutAHandlerStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JobHandlers(List.of(handler(TrainConfig.TYPE)), Set.of(TrainConfig.TYPE.task(), MaskTuneConfig.TYPE.task())));
        assertTrue(e.getMessage().contains("registered tasks without a handler: [" + MaskTuneConfig.TYPE.task().getName() + "]"),
                e.getMessage());
    }

    @Test
    void handlersAreFoundByNameAndByTypedConstant() {
        JobHandlers handlers = new JobHandlers(List.of(handler(TrainConfig.TYPE), handler(EvaluateConfig.TYPE)),
                Set.of(TrainConfig.TYPE.task(), EvaluateConfig.TYPE.task()));
        assertSame(TrainConfig.TYPE, handlers.get(TrainConfig.TYPE).type());
        assertSame(EvaluateConfig.TYPE, handlers.get("evaluate").type());
        assertThrows(UnknownJobTypeException.class, () -> handlers.get("masktune"));
        assertThrows(IllegalArgumentException.class, () -> new JobType<>("Train", String.class, Unregistered.class));
    }

    private static <C> JobHandler<C> handler(JobType<C> type) {
        return () -> type;
    }

    static final class Unregistered implements JobTask {
        @Override
        public JobType<?> type() {
            return null;
        }

        @Override
        public void run(TaskContext context) {
        }
    }
}
