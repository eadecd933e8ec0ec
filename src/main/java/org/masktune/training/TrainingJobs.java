package org.masktune.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.masktune.checkpoints.CheckpointStore;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.datasets.InvalidDatasetSpecException;
import org.masktune.jobs.InvalidJobConfigException;
import org.masktune.jobs.Job;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.models.Architectures;
import org.masktune.ml.train.EpochResult;
import org.masktune.runner.ChildEvent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** What every job that trains (TRAIN, MASKTUNE) does on the service side: stage data, store metrics and checkpoints. */
@Component
public class TrainingJobs {

    private final DatasetRegistry datasets;
    private final CheckpointStore checkpoints;
    private final EpochMetricsRepository metrics;
    private final JsonMapper json;
    private final Clock clock;

    TrainingJobs(DatasetRegistry datasets, CheckpointStore checkpoints, EpochMetricsRepository metrics, JsonMapper json, Clock clock) {
        this.datasets = datasets;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    /** What a TRAIN config must pass before any job is created: a known architecture and a reachable dataset. */
    public void checkTrainConfig(TrainConfig config) {
        if (!Architectures.names().contains(config.model())) {
            throw new InvalidJobConfigException("model", "unknown architecture '" + config.model() + "'; known: " + Architectures.names());
        }
        checkDataset(config.dataset(), "dataset");
    }

    /** The dataset's folder must resolve inside a data root now, not only when a worker gets to it. */
    public void checkDataset(DatasetSpec spec, String field) {
        try {
            datasets.resolveRoot(spec);
        } catch (InvalidDatasetSpecException e) {
            throw new InvalidJobConfigException(e.field(field), e.getMessage());
        }
    }

    /** The inputs naming the confined dataset folder and the decoded-cache folder, or nothing for built-ins. */
    public Map<String, String> stageDataset(DatasetSpec spec) {
        Path root = datasets.resolveRoot(spec);
        return root == null ? Map.of() : Map.of(TrainTask.DATASET_ROOT_INPUT, root.toString(),
                TrainTask.DATASET_CACHE_INPUT, datasets.cacheDir().toString());
    }

    /** Stores an epoch row or uploads a checkpoint file (then deletes it). */
    public void onTrainingEvent(Job job, ChildEvent event) throws IOException {
        switch (event.event()) {
            case TrainEvents.EPOCH -> metrics.save(job.getId(), json.treeToValue(event.body(), EpochResult.class), clock.instant());
            case TrainEvents.CHECKPOINT -> {
                TrainEvents.CheckpointWritten written = json.treeToValue(event.body(), TrainEvents.CheckpointWritten.class);
                Path file = Path.of(written.file());
                checkpoints.store(job.getId(), written.kind(), written.epoch(), written.architecture(), file, written.metadata());
                Files.deleteIfExists(file);
            }
            default -> throw new IllegalStateException("unexpected event from a " + job.getType() + " job: " + event.event());
        }
    }
}
