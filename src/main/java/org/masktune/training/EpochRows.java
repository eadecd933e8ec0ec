package org.masktune.training;

import java.time.Clock;
import org.masktune.jobs.Job;
import org.masktune.ml.train.EpochResult;
import org.masktune.runner.ChildEvent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Stores the epoch rows of the jobs that train (TRAIN, MASKTUNE) as their children report each epoch. */
@Component
public class EpochRows {

    private final EpochMetricsRepository metrics;
    private final JsonMapper json;
    private final Clock clock;

    EpochRows(EpochMetricsRepository metrics, JsonMapper json, Clock clock) {
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    /** Stores the epoch an {@code epoch} event reports; any other event from such a job is a protocol error. */
    public void store(Job job, ChildEvent event) {
        if (!event.is(TrainEvents.EPOCH)) {
            throw new IllegalStateException("unexpected event from a " + job.getType() + " job: " + event.event());
        }
        metrics.save(job.getId(), json.treeToValue(event.body(), EpochResult.class), clock.instant());
    }
}
