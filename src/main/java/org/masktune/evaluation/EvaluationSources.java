package org.masktune.evaluation;

import org.masktune.evaluation.task.SplitEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.masktune.artifacts.Artifact;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.datasets.DatasetInfo;
import org.masktune.datasets.DatasetNotFoundException;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.datasets.InvalidDatasetSpecException;
import org.masktune.evaluation.EvaluateConfig.ModelRef;
import org.masktune.evaluation.EvaluationPlan.PlannedModel;
import org.masktune.jobs.InvalidJobConfigException;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobLookup;
import org.masktune.jobs.JobStatus;
import org.masktune.ml.data.BiasedMnist;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.training.ModelSource;
import org.masktune.training.ModelSources;
import org.masktune.training.TrainConfig;
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

    private final JobLookup jobs;
    private final ModelSources modelSources;
    private final ArtifactStore checkpoints;
    private final DatasetRegistry datasets;
    private final JsonMapper json;

    EvaluationSources(JobLookup jobs, ModelSources modelSources, ArtifactStore checkpoints, DatasetRegistry datasets, JsonMapper json) {
        this.jobs = jobs;
        this.modelSources = modelSources;
        this.checkpoints = checkpoints;
        this.datasets = datasets;
        this.json = json;
    }

    EvaluationPlan resolve(EvaluateConfig config) {
        List<ModelRef> refs = config.models();
        List<Resolved> resolved = new ArrayList<>();
        List<PlannedModel> models = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            Resolved model = resolve(refs.get(i), "models[" + i + "]");
            String label = refs.size() == 2 ? (i == 0 ? SplitEvaluator.ERM : SplitEvaluator.MASKTUNE)
                    : model.source.evaluationLabel();
            resolved.add(model);
            models.add(new PlannedModel(label, model.job.getId(), model.job.getType(), model.checkpoint.getKind(),
                    model.checkpoint.getId(), model.checkpoint.getSha256(), model.architecture, model.classes, "model-" + i));
        }
        if (models.size() == 2) {
            checkSameOutputs(resolved.get(0), resolved.get(1));
        }
        TrainConfig source = resolved.get(0).trainedWith;
        DatasetSpec dataset = config.dataset() != null ? config.dataset() : source.dataset();
        datasets.check(dataset, "dataset");
        for (int i = 0; i < models.size(); i++) {
            String field = config.dataset() != null ? "dataset" : "models[" + i + "]";
            checkSameAttributes(models.get(i), resolved.get(i).trainedWith, dataset, field);
        }
        if (config.classThresholdWeights() != null) {
            if (models.size() != 2) {
                throw new InvalidJobConfigException("classThresholdWeights", "class threshold weights apply to the agreement rule,"
                        + " which needs two models");
            }
            if (!dataset.attributes().isEmpty()) {
                throw new InvalidJobConfigException("classThresholdWeights", "class threshold weights apply to single-label models; the"
                        + " multi-label agreement rule holds every attribute to agreementThreshold");
            }
            if (config.classThresholdWeights().size() != models.get(0).classes()) {
                throw new InvalidJobConfigException("classThresholdWeights", "give one weight per class: the models have "
                        + models.get(0).classes() + " classes, got " + config.classThresholdWeights().size() + " weights");
            }
        }
        checkSplits(dataset, config.splits());
        return new EvaluationPlan(List.copyOf(models), dataset, source);
    }

    /** The agreement and product rules pair output j of one model with output j of the other: same count, same names. */
    private static void checkSameOutputs(Resolved erm, Resolved maskTune) {
        if (erm.classes != maskTune.classes) {
            throw new InvalidJobConfigException("models", "the two models have different class counts: the ERM model "
                    + erm.checkpoint.getId() + " has " + erm.classes + ", the MaskTune model " + maskTune.checkpoint.getId()
                    + " has " + maskTune.classes);
        }
        if (!erm.outputNames.isEmpty() && !maskTune.outputNames.isEmpty() && !erm.outputNames.equals(maskTune.outputNames)) {
            throw new InvalidJobConfigException("models", "the two models have different outputs: the ERM model " + erm.checkpoint.getId()
                    + " predicts " + erm.outputNames + ", the MaskTune model " + maskTune.checkpoint.getId() + " " + maskTune.outputNames);
        }
    }

    /**
     * A model trained multi-label (sigmoid outputs, one per attribute) is only evaluated on the same attributes,
     * and a single-label one only on single-label data: the outputs mean something else otherwise, even where
     * their count matches. Known from the train job's config, so this is a 400 rather than a failed job.
     */
    private static void checkSameAttributes(PlannedModel model, TrainConfig trainedWith, DatasetSpec dataset, String field) {
        List<String> trained = trainedWith.dataset().attributes();
        if (!trained.equals(dataset.attributes())) {
            throw new InvalidJobConfigException(field, "the " + model.label() + " model (" + model.jobType() + " job " + model.job()
                    + ") was trained " + describeAttributes(trained) + ", but the dataset to evaluate is "
                    + describeAttributes(dataset.attributes())
                    + "; evaluate on the attributes the models were trained on, in the same order");
        }
    }

    private static String describeAttributes(List<String> attributes) {
        return attributes.isEmpty() ? "single-label" : "multi-label on the attributes " + attributes;
    }

    /**
     * @param trainedWith the config of the train job behind the model (for a masktune job, its source's)
     * @param outputNames the model's output names from its checkpoint metadata; empty where an old checkpoint lacks them
     */
    private record Resolved(Job job, ModelSource source, Artifact checkpoint, String architecture, int classes, List<String> outputNames,
            TrainConfig trainedWith) {
    }

    private Resolved resolve(ModelRef ref, String field) {
        Job job;
        ModelSource source;
        Artifact checkpoint;
        if (ref.checkpoint() != null) {
            checkpoint = checkpoints.find(ref.checkpoint()).orElseThrow(() -> new InvalidJobConfigException(field + ".checkpoint",
                    "no checkpoint with id " + ref.checkpoint()));
            job = jobs.find(checkpoint.getJobId()).orElseThrow(() -> new InvalidJobConfigException(field + ".checkpoint",
                    "the job of checkpoint " + checkpoint.getId() + " no longer exists"));
            source = modelSource(job, field + ".checkpoint");
        } else {
            job = jobs.find(ref.job()).orElseThrow(() -> new InvalidJobConfigException(field + ".job", "no job with id " + ref.job()));
            source = modelSource(job, field + ".job");
            if (job.getStatus() != JobStatus.SUCCEEDED) {
                throw new InvalidJobConfigException(field + ".job", job.getType() + " job " + job.getId() + " is " + job.getStatus()
                        + "; evaluation needs a SUCCEEDED one");
            }
            List<String> allowed = source.modelKinds();
            String kind = ref.kind() != null ? ref.kind() : allowed.get(0);
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
        List<String> outputNames = model.path("classNames").valueStream().map(JsonNode::asString).toList();
        return new Resolved(job, source, checkpoint, model.path("architecture").asString(null), model.path("classes").asInt(),
                outputNames, source.trainedWith(job, where));
    }

    private JsonNode metadata(Artifact checkpoint) {
        if (checkpoint.getMetadata() == null) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(checkpoint.getMetadata());
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }

    private ModelSource modelSource(Job job, String field) {
        return modelSources.of(job.getType()).orElseThrow(() -> new InvalidJobConfigException(field, "job " + job.getId() + " is a "
                + job.getType() + " job; evaluation takes models of " + modelSources.describe() + " jobs"));
    }

    /**
     * Split names known without loading any data: a built-in's, and a folder dataset's when a dataset of the
     * same format was registered from the same folder (split names depend on the folder's files, not on
     * options such as subsetSize or imageSize). Other folders are checked when the job loads them (it fails
     * with SPLIT_NOT_FOUND and the splits it has): listing their splits means reading their files.
     */
    private void checkSplits(DatasetSpec dataset, List<String> splits) {
        if (splits == null) {
            return;
        }
        Set<String> available;
        String which;
        if (dataset.format() == DatasetFormat.BUILTIN) {
            try {
                available = new TreeSet<>(datasets.get(dataset.name()).splits().keySet());
            } catch (DatasetNotFoundException e) {
                return;
            }
            which = "dataset '" + dataset.name() + "'";
        } else if (dataset.biasedMnist() != null) {
            // the transform decides the split names, whatever the folder was registered with
            available = new TreeSet<>(BiasedMnist.SPLIT_NAMES);
            which = "Biased MNIST built from '" + dataset.path() + "'";
        } else {
            Optional<DatasetInfo> registered = registeredFolder(dataset);
            if (registered.isEmpty()) {
                return;
            }
            available = new TreeSet<>(registered.get().splits().keySet());
            which = "dataset folder '" + dataset.path() + "' (registered as '" + registered.get().name() + "' on "
                    + registered.get().createdAt() + ")";
        }
        available.add(EvaluateConfig.VALIDATION);
        for (int i = 0; i < splits.size(); i++) {
            if (!available.contains(splits.get(i))) {
                throw new InvalidJobConfigException("splits[" + i + "]", which + " has no split '" + splits.get(i)
                        + "'; available: " + available);
            }
        }
    }

    /** A registered dataset of the same format read from the same folder (symbolic links and spellings of the path resolved). */
    private Optional<DatasetInfo> registeredFolder(DatasetSpec spec) {
        Path root = datasets.resolveRoot(spec);
        for (DatasetInfo info : datasets.list()) {
            // options that change the split names (the Biased MNIST transform) make it another dataset; a folder still
            // being read has no splits yet
            if (info.builtIn() || info.spec().format() != spec.format() || info.spec().biasedMnist() != null || info.splits() == null) {
                continue;
            }
            try {
                if (root.equals(datasets.resolveRoot(info.spec()))) {
                    return Optional.of(info);
                }
            } catch (InvalidDatasetSpecException e) {
                // that dataset's folder is gone; it says nothing about this one
            }
        }
        return Optional.empty();
    }
}
