package org.masktune.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.masktune.checkpoints.Checkpoint;
import org.masktune.checkpoints.CheckpointStore;
import org.masktune.datasets.DatasetNotFoundException;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.evaluation.EvaluateConfig.ModelRef;
import org.masktune.evaluation.EvaluationPlan.PlannedModel;
import org.masktune.jobs.InvalidJobConfigException;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobRepository;
import org.masktune.jobs.JobStatus;
import org.masktune.masktune.MaskTuneConfig;
import org.masktune.masktune.MaskTuneTask;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.training.CheckpointKinds;
import org.masktune.training.TrainConfig;
import org.masktune.training.TrainTask;
import org.masktune.training.TrainingJobs;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an {@link EvaluateConfig} into an {@link EvaluationPlan}: which checkpoints, which dataset, and
 * the train job whose validation split to rebuild. Every problem is an {@link InvalidJobConfigException}
 * naming the field, so the same checks give a 400 at submit and fail the job if something vanished
 * before it ran.
 */
@Component
class EvaluationSources {

    private static final String TRAIN = TrainTask.TYPE;
    private static final String MASKTUNE = MaskTuneTask.TYPE;

    private final JobRepository jobs;
    private final CheckpointStore checkpoints;
    private final DatasetRegistry datasets;
    private final TrainingJobs training;
    private final JsonMapper json;

    EvaluationSources(JobRepository jobs, CheckpointStore checkpoints, DatasetRegistry datasets, TrainingJobs training, JsonMapper json) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.datasets = datasets;
        this.training = training;
        this.json = json;
    }

    EvaluationPlan resolve(EvaluateConfig config) {
        List<ModelRef> refs = config.models();
        List<PlannedModel> models = new ArrayList<>();
        TrainConfig source = null;
        for (int i = 0; i < refs.size(); i++) {
            String field = "models[" + i + "]";
            Resolved resolved = resolve(refs.get(i), field);
            String label = refs.size() == 2 ? (i == 0 ? SplitEvaluator.ERM : SplitEvaluator.MASKTUNE)
                    : (resolved.job.getType().equals(MASKTUNE) ? SplitEvaluator.MASKTUNE : SplitEvaluator.ERM);
            models.add(new PlannedModel(label, resolved.job.getId(), resolved.job.getType(), resolved.checkpoint.getKind(),
                    resolved.checkpoint.getId(), resolved.checkpoint.getSha256(), resolved.architecture, resolved.classes, "model-" + i));
            if (i == 0) {
                source = sourceTrainConfig(resolved.job, field);
            }
        }
        if (models.size() == 2 && models.get(0).classes() != models.get(1).classes()) {
            throw new InvalidJobConfigException("models", "the two models have different class counts: the ERM model "
                    + models.get(0).checkpoint() + " has " + models.get(0).classes() + ", the MaskTune model " + models.get(1).checkpoint()
                    + " has " + models.get(1).classes());
        }
        if (config.classThresholdWeights() != null) {
            if (models.size() != 2) {
                throw new InvalidJobConfigException("classThresholdWeights", "class threshold weights apply to the agreement rule,"
                        + " which needs two models");
            }
            if (config.classThresholdWeights().size() != models.get(0).classes()) {
                throw new InvalidJobConfigException("classThresholdWeights", "give one weight per class: the models have "
                        + models.get(0).classes() + " classes, got " + config.classThresholdWeights().size() + " weights");
            }
        }
        DatasetSpec dataset = config.dataset() != null ? config.dataset() : source.dataset();
        training.checkDataset(dataset, "dataset");
        checkSplits(dataset, config.splits());
        return new EvaluationPlan(List.copyOf(models), dataset, source);
    }

    private record Resolved(Job job, Checkpoint checkpoint, String architecture, int classes) {
    }

    private Resolved resolve(ModelRef ref, String field) {
        Job job;
        Checkpoint checkpoint;
        if (ref.checkpoint() != null) {
            checkpoint = checkpoints.find(ref.checkpoint()).orElseThrow(() -> new InvalidJobConfigException(field + ".checkpoint",
                    "no checkpoint with id " + ref.checkpoint()));
            job = jobs.findById(checkpoint.getJobId()).orElseThrow(() -> new InvalidJobConfigException(field + ".checkpoint",
                    "the job of checkpoint " + checkpoint.getId() + " no longer exists"));
            requireTrainingJob(job, field + ".checkpoint");
        } else {
            job = jobs.findById(ref.job()).orElseThrow(() -> new InvalidJobConfigException(field + ".job", "no job with id " + ref.job()));
            requireTrainingJob(job, field + ".job");
            if (job.getStatus() != JobStatus.SUCCEEDED) {
                throw new InvalidJobConfigException(field + ".job", job.getType() + " job " + job.getId() + " is " + job.getStatus()
                        + "; evaluation needs a SUCCEEDED one");
            }
            String kind = ref.kind() != null ? ref.kind() : job.getType().equals(TRAIN) ? CheckpointKinds.BEST : CheckpointKinds.FINETUNED;
            List<String> allowed = job.getType().equals(TRAIN) ? List.of(CheckpointKinds.BEST, CheckpointKinds.LAST)
                    : List.of(CheckpointKinds.FINETUNED);
            if (!allowed.contains(kind)) {
                throw new InvalidJobConfigException(field + ".kind", "a " + job.getType() + " job keeps " + allowed + " models, not '"
                        + kind + "'");
            }
            checkpoint = checkpoints.forJob(job.getId(), kind).orElseThrow(() -> new InvalidJobConfigException(field + ".kind",
                    job.getType() + " job " + job.getId() + " has no " + kind + " checkpoint"));
        }
        String where = ref.checkpoint() != null ? field + ".checkpoint" : field + ".job";
        JsonNode model = metadata(checkpoint).path("model");
        if (!model.path("classes").isInt() || model.path("classes").asInt() < 1) {
            throw new InvalidJobConfigException(where, "checkpoint " + checkpoint.getId() + " (" + checkpoint.getKind()
                    + ") is not a model: its metadata has no model.classes");
        }
        return new Resolved(job, checkpoint, model.path("architecture").asString(null), model.path("classes").asInt());
    }

    private JsonNode metadata(Checkpoint checkpoint) {
        if (checkpoint.getMetadata() == null) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(checkpoint.getMetadata());
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }

    private static void requireTrainingJob(Job job, String field) {
        if (!job.getType().equals(TRAIN) && !job.getType().equals(MASKTUNE)) {
            throw new InvalidJobConfigException(field, "job " + job.getId() + " is a " + job.getType()
                    + " job; evaluation takes models of train and masktune jobs");
        }
    }

    /** The train job's config; for a masktune job, that of its source train job. */
    private TrainConfig sourceTrainConfig(Job job, String field) {
        Job trainJob = job;
        if (job.getType().equals(MASKTUNE)) {
            UUID sourceId = json.readValue(job.getConfig(), MaskTuneConfig.class).sourceJob();
            trainJob = jobs.findById(sourceId).orElseThrow(() -> new InvalidJobConfigException(field,
                    "the source train job " + sourceId + " of masktune job " + job.getId() + " no longer exists"));
        }
        return json.readValue(trainJob.getConfig(), TrainConfig.class);
    }

    /**
     * Split names of built-in datasets are known without loading them; folder datasets are checked when
     * the job loads them (it fails with SPLIT_NOT_FOUND and the splits it has).
     */
    private void checkSplits(DatasetSpec dataset, List<String> splits) {
        if (splits == null || dataset.format() != DatasetFormat.BUILTIN) {
            return;
        }
        Set<String> available;
        try {
            available = new TreeSet<>(datasets.get(dataset.name()).splits().keySet());
        } catch (DatasetNotFoundException e) {
            return;
        }
        available.add(EvaluateConfig.VALIDATION);
        for (int i = 0; i < splits.size(); i++) {
            if (!available.contains(splits.get(i))) {
                throw new InvalidJobConfigException("splits[" + i + "]", "dataset '" + dataset.name() + "' has no split '" + splits.get(i)
                        + "'; available: " + available);
            }
        }
    }
}
