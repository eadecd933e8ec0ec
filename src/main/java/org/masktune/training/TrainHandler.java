package org.masktune.training;

import org.masktune.training.task.TrainTask;
import org.masktune.artifacts.ArtifactKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.masktune.artifacts.CheckpointExports;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.jobs.Job;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.jobs.JobHandler;
import org.masktune.jobs.JobLookup;
import org.masktune.runner.JobType;
import org.masktune.runner.ChildEvent;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Service side of TRAIN: checks the config, stages dataset and resume inputs, stores metrics and checkpoints. */
@Component
@Order(1)
class TrainHandler implements JobHandler<TrainConfig>, ModelSource {

    private final TrainConfigChecks checks;
    private final EpochRows epochs;
    private final ArtifactStore checkpoints;
    private final CheckpointExports exports;
    private final JobLookup jobs;
    private final DatasetRegistry datasets;

    TrainHandler(TrainConfigChecks checks, EpochRows epochs, ArtifactStore checkpoints, CheckpointExports exports, JobLookup jobs,
            DatasetRegistry datasets) {
        this.checks = checks;
        this.epochs = epochs;
        this.checkpoints = checkpoints;
        this.exports = exports;
        this.jobs = jobs;
        this.datasets = datasets;
    }

    @Override
    public JobType<TrainConfig> type() {
        return TrainConfig.TYPE;
    }

    @Override
    public void checkSubmittable(TrainConfig config) {
        checks.checkTrainConfig(config);
    }

    /**
     * A re-run after a worker died, or after a shutdown handed the job back (same attempt number, not counted), resumes
     * from the last finished epoch stored for the job: whether one exists decides, not the attempt number.
     * Initial weights: a file is handed over by its confined real path, a checkpoint as its safetensors export.
     */
    @Override
    public Map<String, String> prepareInputs(Job job, TrainConfig config, Path workDir) throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>(datasets.stage(config.dataset()).inputs());
        InitialWeights weights = config.initialWeights();
        if (weights != null && weights.path() != null) {
            inputs.put(TrainTask.INITIAL_WEIGHTS_INPUT, checks.weightsFile(weights.path()).toString());
        } else if (weights != null) {
            Path staged = workDir.resolve("initial-weights.safetensors");
            exports.copyTo(weights.checkpoint(), staged);
            inputs.put(TrainTask.INITIAL_WEIGHTS_INPUT, staged.toString());
        }
        var last = checkpoints.forJob(job.getId(), ArtifactKind.LAST.id());
        if (last.isPresent()) {
            Path resume = workDir.resolve("resume.ckpt");
            checkpoints.copyTo(last.get().getId(), resume);
            inputs.put(TrainTask.RESUME_INPUT, resume.toString());
        }
        return inputs;
    }

    @Override
    public List<String> modelKinds() {
        return List.of(ArtifactKind.BEST.id(), ArtifactKind.LAST.id());
    }

    @Override
    public TrainConfig trainedWith(Job job, String field) {
        return jobs.config(job, TrainConfig.TYPE);
    }

    @Override
    public String evaluationLabel() {
        return "erm";
    }

    @Override
    public void onEvent(Job job, ChildEvent event, Path workDir) throws IOException {
        epochs.store(job, event);
    }
}
