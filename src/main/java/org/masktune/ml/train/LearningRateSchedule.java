package org.masktune.ml.train;

import java.util.List;

/** The learning rate of each epoch (epochs count from 1), as PyTorch's per-epoch schedulers give it. */
@FunctionalInterface
public interface LearningRateSchedule {

    double learningRate(int epoch);

    static LearningRateSchedule of(TrainSettings settings) {
        return switch (settings.schedule()) {
            case CONSTANT -> constant(settings.learningRate());
            case MULTI_STEP -> multiStep(settings.learningRate(), settings.milestones(), settings.gamma());
            case COSINE -> cosine(settings.learningRate(), settings.epochs());
        };
    }

    static LearningRateSchedule constant(double rate) {
        return epoch -> rate;
    }

    /**
     * rate · gamma^k with k = number of milestones m &lt; epoch: PyTorch's {@code MultiStepLR} stepped
     * after each epoch, so with milestone 2 epochs 1–2 use the rate and epoch 3 the first decayed one.
     */
    static LearningRateSchedule multiStep(double rate, List<Integer> milestones, double gamma) {
        List<Integer> sorted = milestones.stream().sorted().toList();
        return epoch -> rate * Math.pow(gamma, sorted.stream().filter(m -> m < epoch).count());
    }

    /**
     * rate · (1 + cos(π·(epoch − 1)/epochs)) / 2: PyTorch's {@code CosineAnnealingLR(T_max = epochs,
     * eta_min = 0)}; epoch 1 uses the full rate and the rate would reach 0 one epoch after the last.
     */
    static LearningRateSchedule cosine(double rate, int epochs) {
        return epoch -> rate * (1 + Math.cos(Math.PI * (epoch - 1) / epochs)) / 2;
    }
}
