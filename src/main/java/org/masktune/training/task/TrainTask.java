package org.masktune.training.task;

import org.masktune.training.TrainEvents;
import org.masktune.training.TrainConfig;
import org.masktune.training.InitialWeights;
import org.masktune.artifacts.ArtifactKind;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.masktune.ml.interop.Safetensors;
import org.masktune.ml.interop.SafetensorsFormatException;
import org.masktune.ml.interop.WeightsImport;
import org.masktune.ml.interop.WeightsMismatchException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.masktune.ml.data.DatasetFingerprint;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.eval.MultiLabelMetrics;
import org.masktune.ml.eval.Softmax;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.LoadedModel;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.EpochResult;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.Predictor;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.TrainSettings;
import org.masktune.ml.train.TrainingCancelledException;
import org.masktune.ml.train.TrainingDivergedException;
import org.masktune.ml.train.TrainingListener;
import org.masktune.ml.train.TrainingOutcome;
import org.masktune.ml.train.TrainingState;
import org.masktune.runner.JobCancelledException;
import org.masktune.runner.JobTask;
import org.masktune.runner.JobType;
import org.masktune.runner.RunProvenance;
import org.masktune.runner.TaskContext;
import org.masktune.runner.TaskFailedException;

/**
 * Child side of TRAIN: load the data, build or resume the model, run the training loop, and hand
 * each epoch's metrics and checkpoint files to the service as they are produced.
 */
public final class TrainTask implements JobTask {

    /** Staged by the service on a re-run: the last checkpoint of the interrupted attempt. */
    public static final String RESUME_INPUT = "resume";
    /** Staged by the service when the config has initialWeights: a safetensors file with PyTorch names. */
    public static final String INITIAL_WEIGHTS_INPUT = "initial-weights";

    @Override
    public JobType<TrainConfig> type() {
        return TrainConfig.TYPE;
    }

    @Override
    public void run(TaskContext context) throws IOException {
        TrainConfig config = context.config(TrainConfig.class);
        TrainSettings settings = config.training();
        context.progress(0, "loading " + describe(config));
        TrainingData data = TrainingData.load(config, context);
        ModelSpec spec = ModelSpec.forData(config.model(), data.trainSource(), config.inputNormalization().of(data.trainSource()));
        Map<String, Object> provenance = provenance(context, config, data);
        boolean resuming = context.inputs().containsKey(RESUME_INPUT);
        Path weightsFile = !resuming && context.inputs().containsKey(INITIAL_WEIGHTS_INPUT) ? context.input(INITIAL_WEIGHTS_INPUT) : null;
        Safetensors.Header weights = null;
        WeightsImport.Plan plan = null;
        if (weightsFile != null) {
            try {
                weights = Safetensors.readHeader(weightsFile);
                plan = WeightsImport.check(spec, weights);
            } catch (SafetensorsFormatException | WeightsMismatchException e) {
                throw new TaskFailedException("INITIAL_WEIGHTS_MISMATCH", "initialWeights: " + e.getMessage());
            }
            provenance.put("initialWeights", initialWeightsProvenance(config.initialWeights(), weightsFile, weights, plan));
        } else if (resuming && config.initialWeights() != null) {
            provenance.put("initialWeights", Map.of("note", "resumed from the interrupted attempt, which started from them"));
        }

        Engine.getInstance().setRandomSeed((int) (long) settings.seed());
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            Classifier classifier;
            TrainingState resume = null;
            if (context.inputs().containsKey(RESUME_INPUT)) {
                LoadedModel last = CheckpointFile.read(context.input(RESUME_INPUT), manager);
                if (!last.spec().equals(spec)) {
                    throw new TaskFailedException("DATASET_CHANGED", "the dataset or model changed since the interrupted attempt:"
                            + " checkpoint has " + last.spec() + ", now " + spec);
                }
                classifier = last.classifier();
                resume = last.resumeState();
                context.progress(0, "resuming after epoch " + last.progress().epoch());
            } else {
                classifier = spec.newClassifier(manager);
                if (plan != null) {
                    if (plan.replaceHead()) {
                        context.note(plan.note());
                    }
                    WeightsImport.load(classifier, weightsFile, weights, plan);
                    context.progress(0, "started from initial weights " + ((Map<?, ?>) provenance.get("initialWeights")).get("sha256"));
                }
            }
            Listener listener = new Listener(context, classifier, spec, settings, provenance);
            TrainingOutcome outcome = fit(classifier, spec, data, settings, context, listener, resume);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("bestEpoch", outcome.bestEpoch());
            result.put("bestValidationAccuracy", outcome.bestValidationAccuracy());
            result.put("epochs", outcome.epochs().size());
            EpochResult last = outcome.epochs().isEmpty() ? null : outcome.epochs().get(outcome.epochs().size() - 1);
            result.put("lastValidationAccuracy", last == null ? null : last.validationAccuracy());
            result.put("trainImages", data.trainSource().size());
            result.put("validationImages", data.validationSource().size());
            result.put("model", spec);
            result.put("datasetFingerprint", provenance.get("datasetFingerprint"));
            if (data.validationSource().isMultiLabel() && data.validationSource().size() > 0) {
                result.put("validationPerAttribute", perAttribute(classifier, spec, data.validationSource(), settings, context));
            }
            context.result(result);
        }
    }

    private static TrainingOutcome fit(Classifier classifier, ModelSpec spec, TrainingData data, TrainSettings settings,
            TaskContext context, TrainingListener listener, TrainingState resume) {
        try {
            return org.masktune.ml.train.TrainingLoop.fit(classifier, spec.normalization(), data.trainSource(), data.validationSource(),
                    settings, context.device(), listener, context::cancelRequested, resume);
        } catch (TrainingCancelledException e) {
            throw new JobCancelledException(e.getMessage());
        } catch (TrainingDivergedException e) {
            throw new TaskFailedException("DIVERGED", e.getMessage() + "; try a lower learningRate");
        }
    }

    /** Multi-label runs: precision, recall and F1 of each attribute on validation, with the final weights. */
    private static MultiLabelMetrics perAttribute(Classifier classifier, ModelSpec spec, ImageSource validation, TrainSettings settings,
            TaskContext context) {
        float[][] logits = Predictor.logits(classifier, validation, ImageBatches.evaluation(spec.normalization()), context.device(),
                settings.batchSize());
        return MultiLabelMetrics.of(Softmax.sigmoidRows(logits), validation.attributes(), validation.attributeNames());
    }

    static String describe(TrainConfig config) {
        return config.dataset().name() != null ? config.dataset().name() : config.dataset().format() + " " + config.dataset().path();
    }

    /** Where the starting weights came from: the file's SHA-256, and for a checkpoint also the native file's. */
    private static Map<String, Object> initialWeightsProvenance(InitialWeights source, Path file, Safetensors.Header header,
            WeightsImport.Plan plan) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        if (source.path() != null) {
            p.put("path", source.path());
        } else {
            p.put("checkpoint", source.checkpoint().toString());
            p.put("checkpointSha256", header.metadata().get("checkpoint_sha256"));
        }
        p.put("sha256", sha256(file));
        p.put("headReplaced", plan.replaceHead());
        return p;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Map<String, Object> provenance(TaskContext context, TrainConfig config, TrainingData data) {
        RunProvenance run = RunProvenance.of(context, config, config.training().seed(), DatasetFingerprint.sha256(data.trainSource()));
        context.provenance(run);
        return run.with(context.json(), Map.of());
    }

    /** Reports progress, and writes the best and last checkpoints after each epoch. */
    private static final class Listener implements TrainingListener {
        private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;
        private final TaskContext context;
        private final Classifier classifier;
        private final ModelSpec spec;
        private final TrainSettings settings;
        private final Map<String, Object> provenance;
        private long lastProgress;

        Listener(TaskContext context, Classifier classifier, ModelSpec spec, TrainSettings settings, Map<String, Object> provenance) {
            this.context = context;
            this.classifier = classifier;
            this.spec = spec;
            this.settings = settings;
            this.provenance = provenance;
        }

        @Override
        public void onBatchEnd(int epoch, int batch, int batches, float loss) {
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_INTERVAL_NANOS) {
                lastProgress = now;
                double fraction = (epoch - 1 + (double) batch / batches) / settings.epochs();
                context.progress(fraction, String.format("epoch %d/%d, batch %d/%d, loss %.4f", epoch, settings.epochs(), batch, batches, loss));
            }
        }

        @Override
        public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest) {
            try {
                write(ArtifactKind.LAST.id(), result.epoch(), state);
                if (newBest) {
                    write(ArtifactKind.BEST.id(), result.epoch(), state);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.emit(TrainEvents.EPOCH, result);
            context.progress((double) result.epoch() / settings.epochs(),
                    String.format("epoch %d/%d done, validation accuracy %.4f", result.epoch(), settings.epochs(), result.validationAccuracy()));
        }

        private void write(String kind, int epoch, TrainingState state) throws IOException {
            Path file = context.workDir().resolve(kind + "-epoch" + epoch + ".ckpt");
            Map<String, Object> metadata = new LinkedHashMap<>(provenance);
            metadata.put("kind", kind);
            metadata.put("epoch", epoch);
            CheckpointFile.write(file, classifier, spec, state.optimizer(), state.progress(), metadata);
            context.artifact(kind, epoch, spec.architecture(), file,
                    Map.of("model", spec, "provenance", metadata));
        }
    }
}
