package org.masktune.evaluation.task;

import org.masktune.evaluation.EvaluateEvents;
import org.masktune.evaluation.EvaluateConfig;
import org.masktune.evaluation.EvaluationPlan;
import org.masktune.artifacts.ArtifactKind;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.masktune.evaluation.EvaluateEvents.ModelMetrics;
import org.masktune.evaluation.EvaluateEvents.Selective;
import org.masktune.evaluation.EvaluateEvents.SplitResult;
import org.masktune.evaluation.EvaluationPlan.PlannedModel;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.eval.ClassificationMetrics;
import org.masktune.ml.eval.Softmax;
import org.masktune.ml.train.LoadedModel;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Predictor;
import org.masktune.runner.JobTask;
import org.masktune.runner.JobType;
import org.masktune.runner.RunProvenance;
import org.masktune.runner.TaskContext;
import org.masktune.runner.TaskFailedException;
import org.masktune.training.TrainConfig;
import org.masktune.training.task.TrainingData;

/**
 * Child side of EVALUATE: rebuild the validation split as the source train job made it, load the
 * requested splits, run each model over them, send the metrics and selective curves of each split,
 * then the per-sample predictions as a CSV artifact, from which every stored number can be recomputed.
 */
public final class EvaluateTask implements JobTask {

    public static final String PLAN_INPUT = "plan";
    private static final int BATCH_SIZE = 256;

    @Override
    public JobType<EvaluateConfig> type() {
        return EvaluateConfig.TYPE;
    }

    @Override
    public void run(TaskContext context) throws IOException {
        EvaluateConfig config = context.config(EvaluateConfig.class);
        context.provenance(RunProvenance.of(context, config, null, null));
        EvaluationPlan plan = context.json().readValue(context.input(PLAN_INPUT).toFile(), EvaluationPlan.class);
        context.progress(0, "loading the dataset and rebuilding the validation split");
        TrainConfig source = plan.source();
        TrainingData data = TrainingData.load(new TrainConfig(plan.dataset(), source.model(), source.training(), source.inputNormalization(), null), context);
        Map<String, ImageSource> sets = splits(config, data);
        boolean multiLabel = data.validationSource().isMultiLabel();
        List<String> labels = plan.models().stream().map(PlannedModel::label).toList();

        Map<String, List<float[][]>> probabilities = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            List<LoadedModel> models = new ArrayList<>();
            for (PlannedModel planned : plan.models()) {
                LoadedModel checkpoint = CheckpointFile.read(context.input(planned.input()), manager);
                checkCompatible(planned, checkpoint.spec(), data.validationSource(), sets);
                models.add(checkpoint);
            }
            Map<String, ImageSource> toPredict = new LinkedHashMap<>();
            toPredict.put(EvaluateConfig.VALIDATION, data.validationSource());
            toPredict.putAll(sets);
            int done = 0;
            for (Map.Entry<String, ImageSource> split : toPredict.entrySet()) {
                context.checkCancelled("before predicting " + split.getKey());
                context.progress(0.05 + 0.75 * done / toPredict.size(), "predicting " + split.getKey() + " (" + split.getValue().size() + " images)");
                List<float[][]> perModel = new ArrayList<>();
                for (LoadedModel model : models) {
                    float[][] logits = Predictor.logits(model.classifier(), split.getValue(),
                            ImageBatches.evaluation(model.spec().normalization()), context.device(), BATCH_SIZE);
                    perModel.add(multiLabel ? Softmax.sigmoidRows(logits) : Softmax.rows(logits));
                }
                probabilities.put(split.getKey(), perModel);
                done++;
            }
        }

        Map<String, Double> trainProportions = data.trainSource().hasGroups()
                ? ClassificationMetrics.groupProportions(data.trainSource().groups(), data.trainSource().groupNames()) : null;
        SplitEvaluator evaluator = new SplitEvaluator(config, labels, probabilities.get(EvaluateConfig.VALIDATION), trainProportions,
                context.json());
        String headline = multiLabel ? "macroF1" : "accuracy";
        Map<String, Object> accuracy = new LinkedHashMap<>();
        Map<String, Object> worstGroup = new LinkedHashMap<>();
        Map<String, Object> aurc = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<String, ImageSource> split : sets.entrySet()) {
            context.progress(0.8 + 0.15 * index / sets.size(), "measuring " + split.getKey());
            SplitResult result = evaluator.evaluate(split.getKey(), index++, split.getValue(), probabilities.get(split.getKey()));
            context.emit(EvaluateEvents.SPLIT, result);
            Map<String, Object> acc = new LinkedHashMap<>();
            Map<String, Object> worst = new LinkedHashMap<>();
            for (ModelMetrics m : result.metrics()) {
                if (m.metrics().path(headline).isNumber()) {
                    acc.put(m.model(), m.metrics().path(headline).asDouble());
                }
                if (m.metrics().path("worstGroupAccuracy").isNumber()) {
                    worst.put(m.model(), m.metrics().path("worstGroupAccuracy").asDouble());
                }
            }
            accuracy.put(split.getKey(), acc);
            if (!worst.isEmpty()) {
                worstGroup.put(split.getKey(), worst);
            }
            Map<String, Object> areas = new LinkedHashMap<>();
            for (Selective s : result.selective()) {
                areas.put(s.method() + (s.model().equals(SplitEvaluator.COMBINED) ? "" : "/" + s.model()), s.aurc());
            }
            aurc.put(split.getKey(), areas);
        }

        context.progress(0.95, "writing the per-sample predictions");
        Path file = context.workDir().resolve("predictions.csv");
        PredictionsCsv.Written predictions = PredictionsCsv.write(file, plan.models(), sets, probabilities, evaluator, multiLabel);
        context.artifact(ArtifactKind.PREDICTIONS.id(), 0, null, file, predictions.metadata());
        int rows = predictions.rows();

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("models", plan.models().stream().map(m -> Map.of("label", m.label(), "job", m.job().toString(), "kind", m.kind(),
                "checkpoint", m.checkpoint().toString())).toList());
        summary.put("splits", List.copyOf(sets.keySet()));
        summary.put(headline, accuracy);
        summary.put("worstGroupAccuracy", worstGroup);
        summary.put("aurc", aurc);
        summary.put("predictionRows", rows);
        summary.put("evaluation", "/api/v1/evaluations/" + context.spec().jobId());
        context.result(summary);
    }

    /**
     * The requested splits, or the default: validation, then every test split ("test" or "test-*"),
     * leaving out a split with exactly the same images as an earlier one (biased-mnist's "test" is its
     * "test-conflicting").
     */
    static Map<String, ImageSource> splits(EvaluateConfig config, TrainingData data) {
        Map<String, ImageSource> sets = new LinkedHashMap<>();
        if (config.splits() != null) {
            for (String name : config.splits()) {
                if (name.equals(EvaluateConfig.VALIDATION)) {
                    sets.put(name, data.validationSource());
                } else if (data.datasetSource().hasSplit(name)) {
                    sets.put(name, data.datasetSource().split(name));
                } else {
                    throw new TaskFailedException("SPLIT_NOT_FOUND", "dataset '" + data.datasetSource().name() + "' has no split '" + name
                            + "'; it has " + data.datasetSource().splitNames() + ", plus 'validation' (rebuilt as training made it)");
                }
            }
            return sets;
        }
        sets.put(EvaluateConfig.VALIDATION, data.validationSource());
        for (String name : data.datasetSource().splitNames()) {
            if (!name.equals("test") && !name.startsWith("test-")) {
                continue;
            }
            ImageSource set = data.datasetSource().split(name);
            if (sets.values().stream().noneMatch(other -> sameImages(other, set))) {
                sets.put(name, set);
            }
        }
        if (sets.size() == 1) {
            throw new TaskFailedException("SPLIT_NOT_FOUND", "dataset '" + data.datasetSource().name() + "' has no test split ('test' or"
                    + " 'test-*'); it has " + data.datasetSource().splitNames() + "; name the splits to evaluate in 'splits'");
        }
        return sets;
    }

    /** Same shape, annotations and pixels (in-memory sets compare their arrays; cached ones are read image by image). */
    static boolean sameImages(ImageSource a, ImageSource b) {
        if (a == b) {
            return true;
        }
        if (a instanceof org.masktune.ml.data.ImageSet x && b instanceof org.masktune.ml.data.ImageSet y) {
            return x.equals(y);
        }
        if (a.size() != b.size() || a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()
                || !java.util.Arrays.equals(a.labels(), b.labels()) || !java.util.Arrays.equals(a.groups(), b.groups())
                || !java.util.Arrays.equals(a.attributes(), b.attributes()) || !a.classes().equals(b.classes())
                || !a.groupNames().equals(b.groupNames()) || !a.attributeNames().equals(b.attributeNames())) {
            return false;
        }
        byte[] x = new byte[a.imageBytes()];
        byte[] y = new byte[b.imageBytes()];
        for (int i = 0; i < a.size(); i++) {
            a.read(i, x, 0);
            b.read(i, y, 0);
            if (!java.util.Arrays.equals(x, y)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The model must take the dataset's images and have one output per class, or for a multi-label set one
     * per attribute, trained on the same attributes in the same order (the agreement rule and the metrics
     * pair output j with attribute j).
     */
    static void checkCompatible(PlannedModel planned, ModelSpec spec, ImageSource validation, Map<String, ImageSource> sets) {
        String model = "the " + planned.label() + " model (checkpoint " + planned.checkpoint() + ")";
        List<ImageSource> all = new ArrayList<>(sets.values());
        all.add(validation);
        for (ImageSource set : all) {
            if (set.channels() != spec.channels() || set.height() != spec.imageSize() || set.width() != spec.imageSize()) {
                throw new TaskFailedException("DATASET_MISMATCH", model + " takes " + spec.channels() + "x" + spec.imageSize()
                        + "x" + spec.imageSize() + " images, the dataset has " + set.channels() + "x" + set.height() + "x" + set.width());
            }
            if (set.isMultiLabel()) {
                if (set.attributeNames().size() != spec.classes()) {
                    throw new TaskFailedException("DATASET_MISMATCH", model + " has " + spec.classes() + " outputs " + spec.classNames()
                            + ", the dataset " + set.attributeNames().size() + " attributes " + set.attributeNames());
                }
                if (!spec.classNames().isEmpty() && !spec.classNames().equals(set.attributeNames())) {
                    throw new TaskFailedException("DATASET_MISMATCH", model + " was trained on the attributes " + spec.classNames()
                            + ", the dataset has " + set.attributeNames() + "; evaluate with the same attributes in the same order");
                }
            } else if (set.classes().size() != spec.classes()) {
                throw new TaskFailedException("DATASET_MISMATCH", model + " has " + spec.classes() + " classes, the dataset "
                        + set.classes().size() + " " + set.classes());
            }
        }
    }

}
