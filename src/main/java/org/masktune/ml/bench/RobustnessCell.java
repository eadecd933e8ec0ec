package org.masktune.ml.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.masktune.ml.data.BiasedMnist;
import org.masktune.ml.data.BiasedMnistOptions;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.data.LoadedDataset;
import org.masktune.ml.data.Splits;
import org.masktune.ml.eval.ClassificationMetrics;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.saliency.DatasetMasker;
import org.masktune.ml.saliency.MaskRule;
import org.masktune.ml.saliency.MaskingOptions;
import org.masktune.ml.saliency.MaskingResult;
import org.masktune.ml.saliency.MaskingStrategy;
import org.masktune.ml.saliency.ShortcutDiagnostics;
import org.masktune.ml.train.EpochResult;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.models.ModelParameters;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;
import org.masktune.ml.train.Predictor;
import org.masktune.ml.train.TrainSettings;
import org.masktune.ml.train.TrainingListener;
import org.masktune.ml.train.TrainingLoop;
import org.masktune.ml.train.TrainingOutcome;
import org.masktune.ml.train.TrainingState;

/**
 * ERM on a Biased MNIST dataset as a TRAIN job does it (seeded hold-out validation, the paper's SGD, best and last
 * weights), then MaskTune from that one ERM run with each mask rule — masks from the best weights, one fine-tune
 * epoch from the last weights with their optimiser state, as a MASKTUNE job does — each model measured on the
 * bias-conflicting and original test splits.
 */
public final class RobustnessCell {

    private RobustnessCell() {
    }

    /**
     * @param report receives one map per model: {@code method} ("erm" or the rule's name), {@code test-conflicting},
     *               {@code worstGroup}, {@code test-original}, and for MaskTune the masking diagnostics
     */
    public static void run(LoadedDataset data, BiasedMnistOptions bias, String model, int epochs, long seed,
                           boolean datasetNormalization, Map<String, MaskRule> rules, Consumer<Map<String, Object>> report) {
        TrainSettings d = TrainSettings.defaults();
        TrainSettings settings = new TrainSettings(d.optimizer(), d.learningRate(), d.momentum(), d.weightDecay(), d.nesterov(),
                d.schedule(), d.milestones(), d.gamma(), epochs, d.batchSize(), d.validationFraction(), seed, d.augmentation());
        Splits.HoldOut holdOut = Splits.holdOut(data.split("train"), settings.validationFraction(), seed);
        ImageSet train = holdOut.train();
        Normalization normalization = datasetNormalization ? Normalization.fromData(train) : Normalization.unit(train.channels());
        ModelSpec spec = ModelSpec.forData(model, train, normalization);
        Device device = Device.cpu();
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Classifier erm = spec.newClassifier(manager);
            byte[][] best = new byte[1][];
            long start = System.nanoTime();
            TrainingOutcome outcome = TrainingLoop.fit(erm, normalization, train, holdOut.validation(), settings, device,
                    new TrainingListener() {
                        @Override
                        public void onEpochEnd(EpochResult result, TrainingState state, boolean newBest) {
                            if (newBest) {
                                best[0] = ModelParameters.save(erm.network());
                            }
                        }
                    }, () -> false, null);
            byte[] last = ModelParameters.save(erm.network());
            Map<String, Object> ermLine = measure("erm", erm, spec, data);
            ermLine.put("bestEpoch", outcome.bestEpoch());
            ermLine.put("seconds", round((System.nanoTime() - start) / 1e9));
            report.accept(ermLine);
            for (Map.Entry<String, MaskRule> rule : rules.entrySet()) {
                long t0 = System.nanoTime();
                Classifier masker = spec.newClassifier(manager);
                ModelParameters.load(masker.network(), best[0], ModelParameters.managerOf(masker.network()));
                MaskingResult masked = DatasetMasker.mask(masker, train, ImageBatches.evaluation(normalization), device,
                        settings.batchSize(), MaskingOptions.defaults(MaskingStrategy.XGRADCAM).withRule(rule.getValue())
                                .withPreviewCount(0).withSeed(seed + 1), new BiasedMnist(bias).spuriousRegions(train));
                Classifier tuned = spec.newClassifier(manager);
                ModelParameters.load(tuned.network(), last, ModelParameters.managerOf(tuned.network()));
                TrainingLoop.fit(tuned, normalization, masked.masked(), holdOut.validation(), settings.withEpochs(1), device,
                        new TrainingListener() { }, () -> false, TrainingState.continueWith(outcome.finalState().optimizer()));
                Map<String, Object> out = measure(rule.getKey(), tuned, spec, data);
                ShortcutDiagnostics diagnostics = masked.shortcut();
                out.put("maskedFraction", round(masked.stats().mean()));
                out.put("regionMaskedMean", round(diagnostics.regionMaskedFraction().mean()));
                out.put("imagesWithResidual", round(diagnostics.imagesWithResidualPixels()));
                out.put("saliencyMassInRegion", round(diagnostics.saliencyMassInRegion()));
                out.put("predictivenessBefore", round(diagnostics.regionPredictivenessBefore()));
                out.put("predictivenessAfter", round(diagnostics.regionPredictivenessAfter()));
                out.put("seconds", round((System.nanoTime() - t0) / 1e9));
                report.accept(out);
            }
        }
    }

    private static Map<String, Object> measure(String method, Classifier model, ModelSpec spec, LoadedDataset data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", method);
        for (String split : List.of("test-conflicting", "test-original")) {
            ImageSet set = data.split(split);
            float[][] logits = Predictor.logits(model, set, ImageBatches.evaluation(spec.normalization()), Device.cpu(), 256);
            ClassificationMetrics m = ClassificationMetrics.ofLogits(logits, set.labels(), set.groups(), set.groupNames(), 2);
            out.put(split, round(m.accuracy()));
            if (split.equals("test-conflicting")) {
                out.put("worstGroup", round(m.worstGroupAccuracy()));
            }
        }
        return out;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? Double.NaN : Double.parseDouble(String.format(Locale.ROOT, "%.4f", v));
    }
}
