package org.masktune.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.masktune.checkpoints.CheckpointExports;
import org.masktune.checkpoints.CheckpointStore;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobHandler;
import org.masktune.runner.ChildEvent;
import org.springframework.stereotype.Component;

/** Service side of TRAIN: checks the config, stages dataset and resume inputs, stores metrics and checkpoints. */
@Component
class TrainHandler implements JobHandler<TrainConfig> {

    private final TrainingJobs training;
    private final CheckpointStore checkpoints;
    private final CheckpointExports exports;

    TrainHandler(TrainingJobs training, CheckpointStore checkpoints, CheckpointExports exports) {
        this.training = training;
        this.checkpoints = checkpoints;
        this.exports = exports;
    }

    @Override
    public String type() {
        return TrainTask.TYPE;
    }

    @Override
    public Class<TrainConfig> configType() {
        return TrainConfig.class;
    }

    @Override
    public void checkSubmittable(TrainConfig config) {
        training.checkTrainConfig(config);
    }

    /**
     * A re-run after a worker died, or after a shutdown handed the job back (same attempt number, not counted), resumes
     * from the last finished epoch stored for the job: whether one exists decides, not the attempt number.
     * Initial weights: a file is handed over by its confined real path, a checkpoint as its safetensors export.
     */
    @Override
    public Map<String, String> prepareInputs(Job job, TrainConfig config, Path workDir) throws IOException {
        Map<String, String> inputs = new LinkedHashMap<>(training.stageDataset(config.dataset()));
        InitialWeights weights = config.initialWeights();
        if (weights != null && weights.path() != null) {
            inputs.put(TrainTask.INITIAL_WEIGHTS_INPUT, training.weightsFile(weights.path()).toString());
        } else if (weights != null) {
            Path staged = workDir.resolve("initial-weights.safetensors");
            exports.copyTo(weights.checkpoint(), staged);
            inputs.put(TrainTask.INITIAL_WEIGHTS_INPUT, staged.toString());
        }
        var last = checkpoints.forJob(job.getId(), CheckpointKinds.LAST);
        if (last.isPresent()) {
            Path resume = workDir.resolve("resume.ckpt");
            checkpoints.copyTo(last.get().getId(), resume);
            inputs.put(TrainTask.RESUME_INPUT, resume.toString());
        }
        return inputs;
    }

    @Override
    public void onEvent(Job job, ChildEvent event, Path workDir) throws IOException {
        training.onTrainingEvent(job, event);
    }
}
