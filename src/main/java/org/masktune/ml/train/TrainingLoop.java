package org.masktune.ml.train;

import org.masktune.ml.models.ModelParameters;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.masktune.ml.data.BatchEncoder;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.models.LeanForward;

/**
 * Trains a classifier epoch by epoch: seeded shuffle, forward/backward/step per batch, evaluation on
 * the validation set in eval mode, a snapshot to resume from after each epoch. Softmax cross-entropy
 * for single-label sets, sigmoid binary cross-entropy for multi-label ones.
 *
 * <p>Everything random is derived from (seed, epoch): the shuffle, the augmentation and the engine's
 * generator (dropout). So a run resumed from the state after epoch k is identical to the
 * uninterrupted run from epoch k+1 on.
 */
public final class TrainingLoop {

    private TrainingLoop() {
    }

    /**
     * Trains {@code classifier} in place up to {@code settings.epochs()}.
     *
     * @param classifier      initialised; its parameters' device should be {@code device}
     * @param normalization   the input normalisation that is part of the model (see ModelSpec)
     * @param validation      held-out set for model selection, or null / empty for none
     * @param listener        progress and checkpoint callbacks, or null
     * @param cancelRequested polled after every batch, or null
     * @param resumeFrom      state to continue from, or null for a fresh start
     * @throws TrainingCancelledException when {@code cancelRequested} says so at a batch end
     * @throws TrainingDivergedException  when a batch loss is not finite
     */
    public static TrainingOutcome fit(Classifier classifier, Normalization normalization, ImageSource train, ImageSource validation,
            TrainSettings settings, Device device, TrainingListener listener, BooleanSupplier cancelRequested,
            TrainingState resumeFrom) {
        return fit(classifier, normalization, train, validation, settings, device, listener, cancelRequested, resumeFrom,
                BatchPipeline.defaultThreads());
    }

    /**
     * As above, with {@code loaderThreads} threads preparing batches ahead of the model (the result
     * does not depend on their number).
     */
    public static TrainingOutcome fit(Classifier classifier, Normalization normalization, ImageSource train, ImageSource validation,
            TrainSettings settings, Device device, TrainingListener listener, BooleanSupplier cancelRequested,
            TrainingState resumeFrom, int loaderThreads) {
        if (!classifier.isInitialized()) {
            throw new IllegalStateException("initialise the classifier first: classifier.initialize(manager, channels, height, width)");
        }
        TrainingListener callbacks = listener != null ? listener : TrainingListener.NONE;
        BooleanSupplier cancel = cancelRequested != null ? cancelRequested : () -> false;
        SequentialBlock network = classifier.network();
        int outputs = checkTargets(network, train);
        boolean hasValidation = validation != null && validation.size() > 0;
        if (hasValidation) {
            checkTargets(network, validation);
        }
        if (resumeFrom != null && resumeFrom.parameters() != null) {
            ModelParameters.load(network, resumeFrom.parameters(), ModelParameters.managerOf(network));
        }
        TrainingProgress progress = resumeFrom != null ? resumeFrom.progress() : TrainingProgress.start();
        LearningRateSchedule schedule = LearningRateSchedule.of(settings);
        BatchEncoder evaluationEncoder = ImageBatches.evaluation(normalization);

        try (NDManager manager = NDManager.newBaseManager(device);
             Optimizer optimizer = Optimizer.create(settings, network.getParameters(), manager)) {
            if (resumeFrom != null && resumeFrom.optimizer() != null) {
                optimizer.loadState(resumeFrom.optimizer());
            }
            ParameterStore parameterStore = new ParameterStore(manager, false);
            for (int epoch = progress.epoch() + 1; epoch <= settings.epochs(); epoch++) {
                long started = System.nanoTime();
                double learningRate = schedule.learningRate(epoch);
                Engine.getInstance().setRandomSeed((int) ImageBatches.mix(settings.seed(), epoch));
                BatchMetrics trained = trainEpoch(network, parameterStore, manager, optimizer, train, outputs, epoch,
                        ImageBatches.training(normalization, settings.augmentation(), ImageBatches.mix(settings.seed() + 1, epoch)),
                        (float) learningRate, settings, callbacks, cancel, loaderThreads);
                double trainSeconds = (System.nanoTime() - started) / 1e9;
                double[] validated = hasValidation
                        ? evaluate(classifier, validation, evaluationEncoder, device, settings.batchSize(), loaderThreads)
                        : new double[] {Double.NaN, Double.NaN};
                double seconds = (System.nanoTime() - started) / 1e9;
                EpochResult result = new EpochResult(epoch, trained.loss(), trained.accuracy(), validated[0], validated[1],
                        learningRate, seconds, train.size() / trainSeconds);
                boolean newBest = progress.bestEpoch() == 0 || !hasValidation || validated[1] > progress.bestValidationAccuracy();
                List<EpochResult> history = new ArrayList<>(progress.history());
                history.add(result);
                progress = new TrainingProgress(epoch, newBest ? epoch : progress.bestEpoch(),
                        newBest ? validated[1] : progress.bestValidationAccuracy(), history);
                callbacks.onEpochEnd(result, new TrainingState(ModelParameters.save(network), optimizer.state(), progress), newBest);
            }
            TrainingState finalState = new TrainingState(ModelParameters.save(network), optimizer.state(), progress);
            return new TrainingOutcome(progress.history(), progress.bestEpoch(), progress.bestValidationAccuracy(), finalState);
        }
    }

    private static BatchMetrics trainEpoch(SequentialBlock network, ParameterStore parameterStore, NDManager manager,
            Optimizer optimizer, ImageSource train, int outputs, int epoch, ImageBatches encoder, float learningRate,
            TrainSettings settings, TrainingListener listener, BooleanSupplier cancel, int loaderThreads) {
        PairList<String, Parameter> parameters = network.getParameters();
        int[] order = shuffle(train.size(), ImageBatches.mix(settings.seed(), epoch));
        int batchSize = settings.batchSize();
        int batches = (train.size() + batchSize - 1) / batchSize;
        BatchMetrics metrics = new BatchMetrics();
        try (BatchPipeline pipeline = new BatchPipeline(train, encoder, order, batchSize, loaderThreads)) {
        for (int b = 0; b < batches; b++) {
            BatchPipeline.Batch next = pipeline.next();
            int[] indices = next.indices();
            float loss;
            // every array of this batch, gradients' graph included, dies with this sub-manager
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(next.pixels(), new Shape(indices.length, train.channels(), train.height(), train.width()));
                NDArray targets = batch.create(BatchMetrics.targets(train, indices, outputs), new Shape(indices.length, outputs));
                Autograd.zeroGradients(parameters);
                float[] logits;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray out = LeanForward.forward(network, parameterStore, new NDList(x), true).singletonOrThrow();
                    NDArray lossArray = train.isMultiLabel()
                            ? Losses.binaryCrossEntropyWithLogits(out, targets)
                            : Losses.softmaxCrossEntropy(out, targets);
                    loss = lossArray.getFloat();
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, b + 1, loss);
                    }
                    collector.backward(lossArray);
                    logits = out.toFloatArray();
                }
                optimizer.step(learningRate);
                metrics.add(train, indices, logits, outputs, loss);
            }
            listener.onBatchEnd(epoch, b + 1, batches, loss);
            if (cancel.getAsBoolean()) {
                throw new TrainingCancelledException(epoch, b + 1);
            }
        }
        }
        return metrics;
    }

    /** {mean loss, accuracy} of {@code set} in eval mode. */
    static double[] evaluate(Classifier classifier, ImageSource set, BatchEncoder encoder, Device device, int batchSize, int loaderThreads) {
        float[][] logits = Predictor.logits(classifier, set, encoder, device, batchSize, loaderThreads);
        BatchMetrics metrics = new BatchMetrics();
        for (int i = 0; i < logits.length; i++) {
            metrics.add(set, new int[] {i}, logits[i], logits[i].length, BatchMetrics.loss(set, i, logits[i]));
        }
        return new double[] {metrics.loss(), metrics.accuracy()};
    }

    /** Fisher–Yates with a generator seeded by (seed, epoch). */
    static int[] shuffle(int size, long seed) {
        int[] order = Predictor.range(0, size);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The network's output count, checked against the set's labels or attributes. */
    private static int checkTargets(SequentialBlock network, ImageSource set) {
        int outputs = (int) network.getOutputShapes(new Shape[] {new Shape(1, set.channels(), set.height(), set.width())})[0].get(1);
        if (set.isMultiLabel() && set.attributeNames().size() != outputs) {
            throw new IllegalArgumentException("the network has " + outputs + " outputs for " + set.attributeNames().size() + " attributes");
        }
        if (!set.isMultiLabel()) {
            for (int label : set.labels()) {
                if (label < 0 || label >= outputs) {
                    throw new IllegalArgumentException("label " + label + " is outside the network's " + outputs + " classes");
                }
            }
        }
        return outputs;
    }
}
