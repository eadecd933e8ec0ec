package org.masktune.masktune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.masktune.checkpoints.Checkpoint;
import org.masktune.checkpoints.CheckpointStore;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.jobs.InvalidJobConfigException;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobHandler;
import org.masktune.jobs.JobNotFoundException;
import org.masktune.jobs.JobRepository;
import org.masktune.jobs.JobStatus;
import org.masktune.runner.ChildEvent;
import org.masktune.training.CheckpointKinds;
import org.masktune.training.TrainConfig;
import org.masktune.training.TrainEvents;
import org.masktune.training.TrainTask;
import org.masktune.training.TrainingJobs;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Service side of MASKTUNE: the source must be a finished TRAIN job with both checkpoints; its best and
 * last checkpoints are staged (each verified against its SHA-256) with its config and dataset folder.
 */
@Component
class MaskTuneHandler implements JobHandler<MaskTuneConfig> {

    private final JobRepository jobs;
    private final CheckpointStore checkpoints;
    private final DatasetRegistry datasets;
    private final TrainingJobs training;
    private final JsonMapper json;

    MaskTuneHandler(JobRepository jobs, CheckpointStore checkpoints, DatasetRegistry datasets, TrainingJobs training, JsonMapper json) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.datasets = datasets;
        this.training = training;
        this.json = json;
    }

    @Override
    public String type() {
        return MaskTuneTask.TYPE;
    }

    @Override
    public Class<MaskTuneConfig> configType() {
        return MaskTuneConfig.class;
    }

    @Override
    public void checkSubmittable(MaskTuneConfig config) {
        if (config.sourceJob() == null) {
            throw new InvalidJobConfigException("sourceJob", "must not be null: the id of a SUCCEEDED train job");
        }
        Job source = jobs.findById(config.sourceJob())
                .orElseThrow(() -> new InvalidJobConfigException("sourceJob", "no job with id " + config.sourceJob()));
        if (!source.getType().equals(TrainTask.TYPE)) {
            throw new InvalidJobConfigException("sourceJob", "job " + source.getId() + " is a " + source.getType()
                    + " job; MaskTune needs a train job");
        }
        if (source.getStatus() != JobStatus.SUCCEEDED) {
            throw new InvalidJobConfigException("sourceJob", "train job " + source.getId() + " is " + source.getStatus()
                    + "; MaskTune needs a SUCCEEDED one");
        }
        checkpoint(source.getId(), CheckpointKinds.BEST);
        checkpoint(source.getId(), CheckpointKinds.LAST);
    }

    private Checkpoint checkpoint(UUID job, String kind) {
        return checkpoints.forJob(job, kind).orElseThrow(() -> new InvalidJobConfigException("sourceJob",
                "train job " + job + " has no " + kind + " checkpoint"));
    }

    @Override
    public Map<String, String> prepareInputs(Job job, MaskTuneConfig config, Path workDir) throws IOException {
        Job sourceJob = jobs.findById(config.sourceJob()).orElseThrow(() -> new JobNotFoundException(config.sourceJob()));
        TrainConfig sourceConfig = json.readValue(sourceJob.getConfig(), TrainConfig.class);
        Checkpoint best = checkpoint(sourceJob.getId(), CheckpointKinds.BEST);
        Checkpoint last = checkpoint(sourceJob.getId(), CheckpointKinds.LAST);
        Map<String, String> inputs = new LinkedHashMap<>(training.stageDataset(sourceConfig.dataset()));
        inputs.put(MaskTuneTask.BEST_INPUT, stage(best, workDir.resolve("erm-best.ckpt")));
        inputs.put(MaskTuneTask.LAST_INPUT, stage(last, workDir.resolve("erm-last.ckpt")));
        Path source = workDir.resolve("source.json");
        json.writeValue(source.toFile(), new SourceRun(sourceJob.getId(), sourceConfig, best.getSha256(), last.getSha256()));
        inputs.put(MaskTuneTask.SOURCE_INPUT, source.toString());
        return inputs;
    }

    private String stage(Checkpoint checkpoint, Path target) throws IOException {
        checkpoints.copyTo(checkpoint.getId(), target);
        return target.toString();
    }

    @Override
    public void onEvent(Job job, ChildEvent event, Path workDir) throws IOException {
        if (event.is(MaskTuneEvents.MASKING)) {
            return; // summarised in the job's result; nothing else to store per round
        }
        training.onTrainingEvent(job, event);
    }
}
