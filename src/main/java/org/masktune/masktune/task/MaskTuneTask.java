package org.masktune.masktune.task;

import org.masktune.masktune.MaskTuneConfig;
import org.masktune.masktune.MaskTuneEvents;
import org.masktune.masktune.SourceRun;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.masktune.ml.data.BiasedMnist;
import org.masktune.ml.data.BiasedMnistOptions;
import org.masktune.ml.data.DatasetFingerprint;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.data.SpuriousRegions;
import ai.djl.ndarray.types.Shape;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.saliency.DatasetMasker;
import org.masktune.ml.saliency.MaskFile;
import org.masktune.ml.saliency.MaskLayer;
import org.masktune.ml.saliency.MaskedImages;
import org.masktune.ml.saliency.MaskingOptions;
import org.masktune.ml.saliency.MaskingResult;
import org.masktune.ml.saliency.PreviewRenderer;
import org.masktune.ml.train.LoadedModel;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.EpochResult;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.OptimizerState;
import org.masktune.ml.train.TrainSettings;
import org.masktune.ml.train.TrainingCancelledException;
import org.masktune.ml.train.TrainingListener;
import org.masktune.ml.train.TrainingLoop;
import org.masktune.ml.train.TrainingOutcome;
import org.masktune.ml.train.TrainingState;
import org.masktune.runner.JobCancelledException;
import org.masktune.runner.JobTask;
import org.masktune.ml.models.FeatureGate;
import org.masktune.runner.JobType;
import org.masktune.runner.RunProvenance;
import org.masktune.runner.TaskContext;
import org.masktune.runner.TaskFailedException;
import org.masktune.artifacts.ArtifactKind;
import org.masktune.training.TrainEvents;
import org.masktune.training.task.TrainingData;

/**
 * Child side of MASKTUNE (reference §1): saliency from the best ERM checkpoint, mask the raw training
 * images above μ + kσ, fine-tune the last ERM checkpoint with its optimiser state on the masked set
 * (which replaces the training set), repeat for further iterations with the fine-tuned model.
 *
 * <p>The masked set is never copied: the training images are read from the cache (or the built-in set)
 * and each round's masks, one bit per pixel position in a memory-mapped file of the work folder, are
 * applied on the fly as batches are made. The stored artifact is the masks ({@code masks}, {@link MaskFile}).
 */
public final class MaskTuneTask implements JobTask {

    public static final String SOURCE_INPUT = "source";
    public static final String BEST_INPUT = "best";
    public static final String LAST_INPUT = "last";

    @Override
    public JobType<MaskTuneConfig> type() {
        return MaskTuneConfig.TYPE;
    }

    @Override
    public void run(TaskContext context) throws IOException {
        MaskTuneConfig config = context.config(MaskTuneConfig.class);
        SourceRun source = context.json().readValue(context.input(SOURCE_INPUT).toFile(), SourceRun.class);
        context.progress(0, "loading the training data of job " + source.jobId());
        TrainingData data = TrainingData.load(source.config(), context);
        TrainSettings settings = fineTuneSettings(source.config().training(), config);
        Engine.getInstance().setRandomSeed((int) (long) settings.seed());

        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            LoadedModel best = CheckpointFile.read(context.input(BEST_INPUT), manager);
            LoadedModel last = CheckpointFile.read(context.input(LAST_INPUT), manager);
            String originalsFingerprint = checkSameData(best, data);
            context.provenance(RunProvenance.of(context, config, settings.seed(), originalsFingerprint));
            ModelSpec spec = last.spec();
            if (!config.strategy().masksPixels()) {
                fineTuneWithFeatureGate(context, last, data, settings, source, config, manager);
                return;
            }
            Classifier masker = best.classifier();
            Classifier model = last.classifier();
            OptimizerState optimizer = last.optimizerState();
            ImageSource toMask = data.trainSource();
            SpuriousRegions shortcut = shortcutOf(source, data.trainSource());
            Path maskFolder = context.workDir().resolve("masks");
            List<Map<String, Object>> rounds = new ArrayList<>();
            EpochResult lastEpoch = null;
            for (int iteration = 1; iteration <= config.iterations(); iteration++) {
                context.checkCancelled("before masking round " + iteration);
                context.progress(progress(iteration, 0, config), "masking " + toMask.size() + " images, round " + iteration);
                MaskingResult masked = DatasetMasker.mask(masker, toMask, ImageBatches.evaluation(spec.normalization()),
                        context.device(), settings.batchSize(), maskingOptions(config, settings, iteration), shortcut, maskFolder);
                MaskTuneEvents.MaskingRound round = new MaskTuneEvents.MaskingRound(iteration, toMask.size(), masked.stats(),
                        masked.imagesPerSecond(), ruleInWords(config), masked.shortcut());
                context.emit(MaskTuneEvents.MASKING, round);
                if (iteration == 1 && config.previewCount() > 0) {
                    storePreview(context, data.trainSource(), masked, config.previewCount(), shortcut);
                }

                context.progress(progress(iteration, 0.5, config), "fine-tuning on the masked set, round " + iteration);
                TrainingOutcome outcome = fineTune(context, model, spec, masked.masked(), data.validationSource(), settings,
                        TrainingState.continueWith(optimizer), iteration, config);
                optimizer = outcome.finalState().optimizer();
                lastEpoch = outcome.epochs().get(outcome.epochs().size() - 1);
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("masking", round);
                summary.put("fineTune", lastEpoch);
                rounds.add(summary);
                masker = model;
                toMask = config.accumulative() ? masked.masked() : data.trainSource();
                if (iteration == config.iterations()) {
                    writeMasks(context, masked.masked(), originalsFingerprint);
                }
            }
            writeFineTuned(context, model, spec, optimizer, source, config, lastEpoch);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("sourceJob", source.jobId());
            result.put("rounds", rounds);
            result.put("validationAccuracy", lastEpoch.validationAccuracy());
            result.put("maskingRule", ruleInWords(config));
            context.result(result);
        }
    }

    /**
     * The seed's feature-gate variant: no masking; a fresh gate goes between the last ERM checkpoint's
     * features and head, and the gated model is fine-tuned on the original images. The optimiser starts
     * fresh, since the network gained parameters the saved state does not cover.
     */
    private static void fineTuneWithFeatureGate(TaskContext context, LoadedModel last, TrainingData data, TrainSettings settings,
            SourceRun source, MaskTuneConfig config, NDManager manager) throws IOException {
        ModelSpec spec = last.spec();
        Shape featureShape = last.classifier().features()
                .getOutputShapes(new Shape[] {new Shape(1, spec.channels(), spec.imageSize(), spec.imageSize())})[0];
        Classifier gated = spec.withFeatureGate().newClassifier(manager);
        FeatureGate.transferWeights(last.classifier(), gated);
        context.progress(0.05, "fine-tuning " + spec.architecture() + " with a feature gate on " + featureShape);
        TrainingOutcome outcome = fineTune(context, gated, spec, data.trainSource(), data.validationSource(), settings,
                TrainingState.continueWith(null), 1, config);
        EpochResult lastEpoch = outcome.epochs().get(outcome.epochs().size() - 1);
        writeFineTuned(context, gated, spec.withFeatureGate(), outcome.finalState().optimizer(), source, config, lastEpoch);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sourceJob", source.jobId());
        result.put("rounds", List.of(Map.of("fineTune", lastEpoch)));
        result.put("validationAccuracy", lastEpoch.validationAccuracy());
        result.put("maskingRule", "SEED_FEATURE_GATE: a learned 1x1-conv + sigmoid gate on the " + featureShape + " feature map");
        context.result(result);
    }

    private static double progress(int iteration, double within, MaskTuneConfig config) {
        return (iteration - 1 + within) / config.iterations();
    }

    static TrainSettings fineTuneSettings(TrainSettings erm, MaskTuneConfig config) {
        return new TrainSettings(erm.optimizer(), config.learningRate() != null ? config.learningRate() : erm.learningRate(),
                erm.momentum(), erm.weightDecay(), erm.nesterov(), erm.schedule(), erm.milestones(), erm.gamma(),
                config.epochs(), erm.batchSize(), erm.validationFraction(), config.seed() != null ? config.seed() : erm.seed(),
                erm.augmentation());
    }

    static String ruleInWords(MaskTuneConfig config) {
        return switch (config.strategy()) {
            case XGRADCAM -> "XGRADCAM (preset " + config.preset() + "): " + config.maskRule();
            case RANDOM -> "RANDOM: one random square hole per image, set to 0";
            case SEED_ATTENTION -> "SEED_ATTENTION: channel-mean activation above its 0.75 quantile, attenuated x0.5";
            case SEED_FEATURE_GATE -> "SEED_FEATURE_GATE: learned feature gate, no pixel masking";
        };
    }

    private static MaskingOptions maskingOptions(MaskTuneConfig config, TrainSettings settings, int iteration) {
        return MaskingOptions.defaults(config.strategy())
                .withRule(config.maskRule())
                .withSeed(settings.seed() + iteration)
                .withPreviewCount(iteration == 1 ? config.previewCount() : 0);
    }

    /** The masks come from the ERM model, so they are only meaningful on the images it was trained on. */
    private static String checkSameData(LoadedModel best, TrainingData data) {
        Object trained = best.metadata().get("datasetFingerprint");
        String now = DatasetFingerprint.sha256(data.trainSource());
        if (trained != null && !trained.equals(now)) {
            throw new TaskFailedException("DATASET_CHANGED", "the training data changed since the source job trained on it"
                    + " (fingerprint " + trained + ", now " + now + ")");
        }
        return now;
    }

    private static TrainingOutcome fineTune(TaskContext context, Classifier model, ModelSpec spec, ImageSource masked, ImageSource validation,
            TrainSettings settings, TrainingState state, int iteration, MaskTuneConfig config) {
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, float loss) {
                if (batch % 10 == 0 || batch == batches) {
                    double within = 0.5 + 0.5 * (epoch - 1 + (double) batch / batches) / settings.epochs();
                    context.progress(progress(iteration, within, config),
                            String.format("fine-tuning round %d, batch %d/%d, loss %.4f", iteration, batch, batches, loss));
                }
            }

            @Override
            public void onEpochEnd(EpochResult result, TrainingState ignored, boolean newBest) {
                int globalEpoch = (iteration - 1) * settings.epochs() + result.epoch();
                context.emit(TrainEvents.EPOCH, new EpochResult(globalEpoch, result.trainLoss(), result.trainAccuracy(),
                        result.validationLoss(), result.validationAccuracy(), result.learningRate(), result.seconds(),
                        result.imagesPerSecond()));
            }
        };
        try {
            return TrainingLoop.fit(model, spec.normalization(), masked, validation, settings, context.device(), listener,
                    context::cancelRequested, state);
        } catch (TrainingCancelledException e) {
            throw new JobCancelledException(e.getMessage());
        }
    }

    /** For Biased MNIST (built in or from IDX files): where its shortcut lies in the training images; null otherwise. */
    static SpuriousRegions shortcutOf(SourceRun source, ImageSource train) {
        BiasedMnistOptions options = source.config().dataset().biasedMnist();
        if (options == null || !train.hasGroups() || train.channels() != 3) {
            return null;
        }
        return new BiasedMnist(options).spuriousRegions(train);
    }

    private static void storePreview(TaskContext context, ImageSource train, MaskingResult masked, int count, SpuriousRegions shortcut)
            throws IOException {
        int n = Math.min(count, Math.min(train.size(), masked.previewMaps().size()));
        int[] first = IntStream.range(0, n).toArray();
        byte[] png = PreviewRenderer.render(train.select(first).toImageSet(), masked.masked().select(first).toImageSet(),
                masked.previewMaps().subList(0, n), masked.mapHeight(), masked.mapWidth(), masked.previewMasks(), shortcut);
        Path file = context.workDir().resolve("preview.png");
        Files.write(file, png);
        context.artifact(ArtifactKind.MASK_PREVIEW.id(), 0, null, file,
                Map.of("rows", n, "columns", List.of("original", "saliency", "masked", "mask")));
    }

    /**
     * The masks of the set the last round fine-tuned on (every round's, for accumulative masking), not its pixels:
     * {@code maskedFingerprint} is the fingerprint the masked copy of the same pixels had ({@code masked-set}'s).
     */
    private static void writeMasks(TaskContext context, MaskedImages masked, String originalsFingerprint) throws IOException {
        Path file = context.workDir().resolve("masks.mtmk.gz");
        MaskFile.write(file, masked);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("images", masked.size());
        metadata.put("height", masked.height());
        metadata.put("width", masked.width());
        metadata.put("layers", masked.layers().stream().map(MaskLayer::describe).toList());
        metadata.put("originalsFingerprint", originalsFingerprint);
        metadata.put("maskedFingerprint", DatasetFingerprint.sha256(masked));
        metadata.put("format", "MaskFile v1 (gzip): one bit per pixel position and image, per layer; applied in order to the originals");
        context.artifact(ArtifactKind.MASKS.id(), 0, null, file, metadata);
    }

    private static void writeFineTuned(TaskContext context, Classifier model, ModelSpec spec, OptimizerState optimizer,
            SourceRun source, MaskTuneConfig config, EpochResult lastEpoch) throws IOException {
        Map<String, Object> fineTune = new LinkedHashMap<>();
        fineTune.put("sourceJob", source.jobId().toString());
        fineTune.put("ermBestSha256", source.bestSha256());
        fineTune.put("ermLastSha256", source.lastSha256());
        fineTune.put("maskingRule", ruleInWords(config));
        Map<String, Object> metadata = context.provenance().with(context.json(), fineTune);
        Path file = context.workDir().resolve("finetuned.ckpt");
        CheckpointFile.write(file, model, spec, optimizer, new org.masktune.ml.train.TrainingProgress(lastEpoch.epoch(),
                lastEpoch.epoch(), lastEpoch.validationAccuracy(), List.of(lastEpoch)), metadata);
        context.artifact(ArtifactKind.FINETUNED.id(), lastEpoch.epoch(), spec.architecture(), file,
                Map.of("model", spec, "provenance", metadata));
    }
}
