package org.masktune.masktune;

import org.masktune.masktune.task.MaskTuneTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.masktune.artifacts.Artifact;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.jobs.InvalidJobConfigException;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobHandler;
import org.masktune.jobs.JobLookup;
import org.masktune.runner.ChildEvent;
import org.masktune.runner.JobType;
import org.masktune.artifacts.ArtifactKind;
import org.masktune.training.ModelSource;
import org.masktune.training.TrainConfig;
import org.masktune.training.EpochRows;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Service side of MASKTUNE: the source must be a finished TRAIN job with both checkpoints; its best and
 * last checkpoints are staged (each verified against its SHA-256) with its config and dataset folder.
 */
@Component
@Order(2)
class MaskTuneHandler implements JobHandler<MaskTuneConfig>, ModelSource {

    private final JobLookup jobs;
    private final ArtifactStore checkpoints;
    private final DatasetRegistry datasets;
    private final EpochRows epochs;
    private final JsonMapper json;

    MaskTuneHandler(JobLookup jobs, ArtifactStore checkpoints, DatasetRegistry datasets, EpochRows epochs, JsonMapper json) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.datasets = datasets;
        this.epochs = epochs;
        this.json = json;
    }

    @Override
    public JobType<MaskTuneConfig> type() {
        return MaskTuneConfig.TYPE;
    }

    @Override
    public void checkSubmittable(MaskTuneConfig config) {
        if (config.sourceJob() == null) {
            throw new InvalidJobConfigException("sourceJob", "must not be null: the id of a SUCCEEDED train job");
        }
        Job source = jobs.requireSucceeded(config.sourceJob(), TrainConfig.TYPE, "sourceJob", "MaskTune needs");
        checkpoint(source.getId(), ArtifactKind.BEST.id());
        checkpoint(source.getId(), ArtifactKind.LAST.id());
    }

    private Artifact checkpoint(UUID job, String kind) {
        return checkpoints.forJob(job, kind).orElseThrow(() -> new InvalidJobConfigException("sourceJob",
                "train job " + job + " has no " + kind + " checkpoint"));
    }

    @Override
    public Map<String, String> prepareInputs(Job job, MaskTuneConfig config, Path workDir) throws IOException {
        Job sourceJob = jobs.get(config.sourceJob());
        TrainConfig sourceConfig = jobs.config(sourceJob, TrainConfig.TYPE);
        Artifact best = checkpoint(sourceJob.getId(), ArtifactKind.BEST.id());
        Artifact last = checkpoint(sourceJob.getId(), ArtifactKind.LAST.id());
        Map<String, String> inputs = new LinkedHashMap<>(datasets.stage(sourceConfig.dataset()).inputs());
        inputs.put(MaskTuneTask.BEST_INPUT, stage(best, workDir.resolve("erm-best.ckpt")));
        inputs.put(MaskTuneTask.LAST_INPUT, stage(last, workDir.resolve("erm-last.ckpt")));
        Path source = workDir.resolve("source.json");
        json.writeValue(source.toFile(), new SourceRun(sourceJob.getId(), sourceConfig, best.getSha256(), last.getSha256()));
        inputs.put(MaskTuneTask.SOURCE_INPUT, source.toString());
        return inputs;
    }

    private String stage(Artifact checkpoint, Path target) throws IOException {
        checkpoints.copyTo(checkpoint.getId(), target);
        return target.toString();
    }

    @Override
    public List<String> modelKinds() {
        return List.of(ArtifactKind.FINETUNED.id());
    }

    @Override
    public TrainConfig trainedWith(Job job, String field) {
        UUID sourceId = jobs.config(job, MaskTuneConfig.TYPE).sourceJob();
        Job source = jobs.find(sourceId).orElseThrow(() -> new InvalidJobConfigException(field,
                "the source train job " + sourceId + " of masktune job " + job.getId() + " no longer exists"));
        return jobs.config(source, TrainConfig.TYPE);
    }

    @Override
    public String evaluationLabel() {
        return "masktune";
    }

    @Override
    public void onEvent(Job job, ChildEvent event, Path workDir) throws IOException {
        if (event.is(MaskTuneEvents.MASKING)) {
            return; // summarised in the job's result; nothing else to store per round
        }
        epochs.store(job, event);
    }
}
