package org.masktune.masktune;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;
import org.masktune.ml.saliency.MaskingStrategy;

/**
 * A MASKTUNE job: masks the training set with saliency from the source TRAIN job's best checkpoint,
 * then fine-tunes its last checkpoint (with its optimiser state) on the masked set. Defaults
 * reproduce the reference code: xGradCAM, τ = μ + 2σ, one iteration, one epoch, ERM's settings.
 */
@Schema(description = "MaskTune a finished TRAIN job")
public record MaskTuneConfig(
        @Schema(description = "A SUCCEEDED train job (required; set by the service inside a pipeline)")
        UUID sourceJob,
        @Schema(description = "XGRADCAM (default, the paper's), RANDOM (one random square hole per image, the paper's ablation),"
                + " SEED_ATTENTION (last-conv activations, 0.75-quantile threshold, soft ×0.5 attenuation),"
                + " SEED_FEATURE_GATE (no masking: a learned 1×1-conv + sigmoid gate on the last feature map, fine-tuned)", example = "XGRADCAM")
        MaskingStrategy strategy,
        @Schema(description = "Threshold τ = μ + k·σ of the positive saliency values", example = "2.0", defaultValue = "2.0")
        @DecimalMin("0.0") @DecimalMax("10.0") Double thresholdK,
        @Schema(description = "Mask → fine-tune rounds; later rounds mask with the fine-tuned model", example = "1", defaultValue = "1")
        @Min(1) @Max(3) Integer iterations,
        @Schema(description = "Mask the already-masked images in later rounds, so masks stack", example = "false", defaultValue = "false")
        Boolean accumulative,
        @Schema(description = "Fine-tune epochs per round (the method: exactly one)", example = "1", defaultValue = "1")
        @Min(1) @Max(10) Integer epochs,
        @Schema(description = "Fine-tune learning rate; default: the source job's", example = "0.01")
        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("10.0") Double learningRate,
        @Schema(description = "Images shown in the mask preview", example = "16", defaultValue = "16")
        @Min(0) @Max(64) Integer previewCount,
        @Schema(description = "Seed of the RANDOM strategy and the fine-tune's shuffling; default: the source job's")
        Long seed) {

    public MaskTuneConfig withSourceJob(UUID job) {
        return new MaskTuneConfig(job, strategy, thresholdK, iterations, accumulative, epochs, learningRate, previewCount, seed);
    }

    public MaskTuneConfig {
        strategy = strategy == null ? MaskingStrategy.XGRADCAM : strategy;
        thresholdK = thresholdK == null ? 2.0 : thresholdK;
        iterations = iterations == null ? 1 : iterations;
        accumulative = accumulative != null && accumulative;
        epochs = epochs == null ? 1 : epochs;
        previewCount = previewCount == null ? 16 : previewCount;
    }
}
