package org.masktune.ml.train;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.util.List;

/**
 * How to train: the typed, validated configuration of one training run. Every field is optional;
 * a missing one takes the default written in the compact constructor (the MaskTune paper's MNIST
 * recipe: SGD lr 0.01, momentum 0.9, weight decay 1e-4, batch 128, constant rate).
 */
@Schema(description = "Training hyper-parameters. Omitted fields take their defaults.")
public record TrainSettings(
        @Schema(description = "Optimiser.", example = "SGD", defaultValue = "SGD")
        OptimizerKind optimizer,
        @Schema(description = "Base learning rate.", example = "0.01", defaultValue = "0.01")
        @Positive @DecimalMax("10") Double learningRate,
        @Schema(description = "SGD momentum (ignored by Adam).", example = "0.9", defaultValue = "0.9")
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) Double momentum,
        @Schema(description = "L2 weight decay added to the gradient.", example = "0.0001", defaultValue = "0.0001")
        @DecimalMin("0") @DecimalMax("1") Double weightDecay,
        @Schema(description = "Nesterov momentum (SGD only, needs momentum > 0).", example = "false", defaultValue = "false")
        Boolean nesterov,
        @Schema(description = "Learning-rate schedule, stepped once per epoch.", example = "CONSTANT", defaultValue = "CONSTANT")
        ScheduleKind schedule,
        @Schema(description = "Epochs after which MULTI_STEP multiplies the rate by gamma (strictly increasing).", example = "[30, 60]")
        @jakarta.validation.constraints.Size(max = 100) List<@Positive Integer> milestones,
        @Schema(description = "MULTI_STEP decay factor.", example = "0.1", defaultValue = "0.1")
        @Positive @DecimalMax("1") Double gamma,
        @Schema(description = "Number of epochs.", example = "5", defaultValue = "5")
        @Min(1) @Max(1000) Integer epochs,
        @Schema(description = "Images per batch.", example = "128", defaultValue = "128")
        @Min(1) @Max(4096) Integer batchSize,
        @Schema(description = "Share of the training split held out for validation (model selection).", example = "0.1", defaultValue = "0.1")
        @DecimalMin("0") @DecimalMax("0.9") Double validationFraction,
        @Schema(description = "Seed of shuffling, augmentation, dropout and the validation split.", example = "42", defaultValue = "42")
        Long seed,
        @Schema(description = "On-the-fly augmentations; none by default.")
        @Valid Augmentation augmentation) {

    public TrainSettings {
        optimizer = optimizer != null ? optimizer : OptimizerKind.SGD;
        learningRate = learningRate != null ? learningRate : 0.01;
        momentum = momentum != null ? momentum : 0.9;
        weightDecay = weightDecay != null ? weightDecay : 1e-4;
        nesterov = nesterov != null ? nesterov : Boolean.FALSE;
        schedule = schedule != null ? schedule : ScheduleKind.CONSTANT;
        milestones = milestones != null ? List.copyOf(milestones) : List.of();
        gamma = gamma != null ? gamma : 0.1;
        epochs = epochs != null ? epochs : 5;
        batchSize = batchSize != null ? batchSize : 128;
        validationFraction = validationFraction != null ? validationFraction : 0.1;
        seed = seed != null ? seed : 42L;
        augmentation = augmentation != null ? augmentation : Augmentation.none();

        require(learningRate > 0 && learningRate <= 10, "learningRate must be in (0, 10]", learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)", momentum);
        require(weightDecay >= 0 && weightDecay <= 1, "weightDecay must be in [0, 1]", weightDecay);
        require(!nesterov || momentum > 0, "nesterov needs momentum > 0", momentum);
        require(gamma > 0 && gamma <= 1, "gamma must be in (0, 1]", gamma);
        require(epochs >= 1 && epochs <= 1000, "epochs must be in 1..1000", epochs);
        require(batchSize >= 1 && batchSize <= 4096, "batchSize must be in 1..4096", batchSize);
        require(validationFraction >= 0 && validationFraction <= 0.9, "validationFraction must be in [0, 0.9]", validationFraction);
        for (int i = 0; i < milestones.size(); i++) {
            require(milestones.get(i) > 0 && (i == 0 || milestones.get(i) > milestones.get(i - 1)),
                    "milestones must be positive and strictly increasing", milestones);
        }
        require(schedule != ScheduleKind.MULTI_STEP || !milestones.isEmpty(), "MULTI_STEP needs milestones", milestones);
    }

    /** All defaults. */
    public static TrainSettings defaults() {
        return new TrainSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public TrainSettings withEpochs(int newEpochs) {
        return new TrainSettings(optimizer, learningRate, momentum, weightDecay, nesterov, schedule, milestones, gamma,
                newEpochs, batchSize, validationFraction, seed, augmentation);
    }

    private static void require(boolean ok, String message, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(message + ", got " + value);
        }
    }
}
