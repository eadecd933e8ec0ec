package org.masktune.masktune;

import org.masktune.masktune.task.MaskTuneTask;
import org.masktune.runner.JobType;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;
import org.masktune.ml.saliency.CamUpsampling;
import org.masktune.ml.saliency.DilationUnit;
import org.masktune.ml.saliency.MaskFill;
import org.masktune.ml.saliency.MaskPreset;
import org.masktune.ml.saliency.MaskRule;
import org.masktune.ml.saliency.MaskingStrategy;
import org.masktune.ml.saliency.ThresholdRule;

/**
 * A MASKTUNE job: masks the training set with saliency from the source TRAIN job's best checkpoint,
 * then fine-tunes its last checkpoint (with its optimiser state) on the masked set. Defaults
 * reproduce the reference code: xGradCAM, τ = μ + 2σ, one iteration, one epoch, ERM's settings.
 * The mask rule starts from {@code preset} and each knob given overrides it; the stored config states the
 * resolved value of every knob.
 */
@Schema(description = "MaskTune a finished TRAIN job")
public record MaskTuneConfig(
        @Schema(description = "A SUCCEEDED train job (required; set by the service inside a pipeline)")
        UUID sourceJob,
        @Schema(description = "XGRADCAM (default, the paper's), RANDOM (one random square hole per image, the paper's ablation),"
                + " SEED_ATTENTION (last-conv activations, 0.75-quantile threshold, soft ×0.5 attenuation),"
                + " SEED_FEATURE_GATE (no masking: a learned 1×1-conv + sigmoid gate on the last feature map, fine-tuned)", example = "XGRADCAM")
        MaskingStrategy strategy,
        @Schema(description = "Named mask rule: PAPER (default; τ = μ + 2σ, bilinear CAM, no dilation, zero fill) or ROBUST"
                + " (recommended from bench/robustness: the same threshold and zero fill, the mask dilated by half a CAM cell so that"
                + " no shortcut pixel stays visible at its border). Each knob below overrides the preset's value", example = "PAPER", defaultValue = "PAPER")
        MaskPreset preset,
        @Schema(description = "Which saliency values are masked: MEAN_K_STD (τ = μ + k·σ of the positive values), TOP_FRACTION"
                + " (the topFraction largest), CONNECTED_REGION (whole regions above μ that reach above μ + k·σ)", example = "MEAN_K_STD")
        ThresholdRule threshold,
        @Schema(description = "Threshold τ = μ + k·σ of the positive saliency values", example = "2.0", defaultValue = "2.0")
        @DecimalMin("0.0") @DecimalMax("10.0") Double thresholdK,
        @Schema(description = "TOP_FRACTION: fraction of each image's pixels masked", example = "0.05", defaultValue = "0.05")
        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax(value = "1.0", inclusive = false) Double topFraction,
        @Schema(description = "How the CAM reaches the input size: BILINEAR (paper) or NEAREST (whole CAM cells)", example = "BILINEAR")
        CamUpsampling camUpsampling,
        @Schema(description = "Radius of a square dilation of each mask, in dilationUnit; 0 = none", example = "0.5")
        @DecimalMin("0.0") @DecimalMax("64.0") Double dilation,
        @Schema(description = "Unit of dilation: PIXELS or CAM_CELLS (input side / CAM side pixels each)", example = "CAM_CELLS")
        DilationUnit dilationUnit,
        @Schema(description = "What masked pixels become: ZERO (paper), DATASET_MEAN, IMAGE_MEAN, NOISE, BLUR (mean of the unmasked"
                + " pixels nearby), INPAINT (diffused in from the mask's border)", example = "ZERO")
        MaskFill fill,
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

    public static final JobType<MaskTuneConfig> TYPE = new JobType<>("masktune", MaskTuneConfig.class, MaskTuneTask.class);

    public MaskTuneConfig withSourceJob(UUID job) {
        return new MaskTuneConfig(job, strategy, preset, threshold, thresholdK, topFraction, camUpsampling, dilation, dilationUnit,
                fill, iterations, accumulative, epochs, learningRate, previewCount, seed);
    }

    /** The paper's MaskTune of {@code sourceJob} with every other setting at its default. */
    public static MaskTuneConfig of(UUID sourceJob) {
        return new MaskTuneConfig(sourceJob, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The resolved mask rule. */
    public MaskRule maskRule() {
        return new MaskRule(threshold, thresholdK, topFraction, camUpsampling, dilation, dilationUnit, fill);
    }

    public MaskTuneConfig {
        strategy = strategy == null ? MaskingStrategy.XGRADCAM : strategy;
        preset = preset == null ? MaskPreset.PAPER : preset;
        MaskRule base = preset.rule();
        threshold = threshold == null ? base.threshold() : threshold;
        thresholdK = thresholdK == null ? base.k() : thresholdK;
        topFraction = topFraction == null ? base.topFraction() : topFraction;
        camUpsampling = camUpsampling == null ? base.upsampling() : camUpsampling;
        dilation = dilation == null ? base.dilation() : dilation;
        dilationUnit = dilationUnit == null ? base.dilationUnit() : dilationUnit;
        fill = fill == null ? base.fill() : fill;
        iterations = iterations == null ? 1 : iterations;
        accumulative = accumulative != null && accumulative;
        epochs = epochs == null ? 1 : epochs;
        previewCount = previewCount == null ? 16 : previewCount;
    }
}
