package org.masktune.evaluation;

import org.masktune.evaluation.task.EvaluateTask;
import org.masktune.runner.JobType;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.eval.AgreementSelector;
import org.masktune.ml.eval.CoverageCalibration;

/**
 * An EVALUATE job: one model, or an ERM + MaskTune pair (first ERM, second MaskTune), measured on the
 * validation split (rebuilt exactly as training made it) and the dataset's test splits. Multi-label
 * models (CelebA {@code attributes}) are measured per attribute.
 *
 * <p>Defaults that need the database or the data ({@code models[].kind}, {@code dataset},
 * {@code splits}) stay null here and are resolved when the job runs; {@code evaluations.models}
 * and the stored results record what was actually used.
 */
@Schema(description = "Evaluate one model, or an ERM + MaskTune pair: metrics per split, selective classification curves")
public record EvaluateConfig(
        @ArraySchema(minItems = 1, maxItems = 2, schema = @Schema(implementation = ModelRef.class),
                arraySchema = @Schema(description = "One model, or two: the first is the ERM model, the second the MaskTune model",
                        requiredMode = Schema.RequiredMode.REQUIRED))
        @NotNull @Size(min = 1, max = 2) List<@Valid @NotNull ModelRef> models,
        @Schema(description = "Dataset to evaluate on; default: the dataset of the source train job (for a masktune job, of its sourceJob)")
        @Valid DatasetSpec dataset,
        @ArraySchema(arraySchema = @Schema(description = "Splits to evaluate; 'validation' is the validation set rebuilt exactly as the"
                + " source train job made it. Default: validation plus every test split of the dataset ('test', or the 'test-*' splits;"
                + " a split identical to another one is evaluated once)", example = "[\"validation\", \"test-conflicting\", \"test-original\"]"))
        @Size(max = 32) List<@NotNull @Size(max = 200) String> splits,
        @ArraySchema(arraySchema = @Schema(description = "Target coverages in percent, calibrated on the validation split",
                example = "[100, 95, 90, 85, 80]", defaultValue = "[100, 95, 90, 85, 80]"))
        @Size(max = 101) List<@NotNull @DecimalMin("0.0") @DecimalMax("100.0") Double> coverages,
        @Schema(description = "Agreement rule: accept where both models agree and the MaskTune model's max softmax is at least this;"
                + " multi-label: where they agree on every attribute (sigmoid >= 0.5) and each attribute's max(q, 1 - q) is at least this",
                example = "0.8", defaultValue = "0.8")
        @DecimalMin("0.0") @DecimalMax("1.0") Double agreementThreshold,
        @ArraySchema(arraySchema = @Schema(description = "Agreement rule, optional: one factor per class; a sample predicted as class c"
                + " needs confidence >= agreementThreshold * classThresholdWeights[c]. Single-label pairs only", example = "[1.0, 1.1]"))
        @Size(max = 1000) List<@NotNull @DecimalMin(value = "0.0", inclusive = false) Double> classThresholdWeights) {

    public static final JobType<EvaluateConfig> TYPE = new JobType<>("evaluate", EvaluateConfig.class, EvaluateTask.class);

    /** The rebuilt validation set's split name. */
    public static final String VALIDATION = "validation";

    public EvaluateConfig {
        if (models != null) {
            models = List.copyOf(models);
        }
        if (splits != null) {
            if (splits.isEmpty()) {
                throw new IllegalArgumentException("splits must name at least one split, or be left out for the default");
            }
            Set<String> seen = new HashSet<>();
            for (String split : splits) {
                if (split == null || split.isBlank()) {
                    throw new IllegalArgumentException("splits must not contain blank names: " + splits);
                }
                if (!seen.add(split)) {
                    throw new IllegalArgumentException("split '" + split + "' is listed twice");
                }
            }
            splits = List.copyOf(splits);
        }
        if (coverages == null) {
            coverages = java.util.Arrays.stream(CoverageCalibration.DEFAULT_COVERAGES).boxed().toList();
        } else {
            if (coverages.isEmpty()) {
                throw new IllegalArgumentException("coverages must hold at least one target coverage (percent), or be left out");
            }
            if (new HashSet<>(coverages).size() != coverages.size()) {
                throw new IllegalArgumentException("coverages must not repeat a value: " + coverages);
            }
            coverages = List.copyOf(coverages);
        }
        agreementThreshold = agreementThreshold == null ? AgreementSelector.DEFAULT_THRESHOLD : agreementThreshold;
        if (classThresholdWeights != null) {
            classThresholdWeights = List.copyOf(classThresholdWeights);
        }
    }

    /**
     * A model to evaluate: a finished job's checkpoint by kind, or a checkpoint by id.
     *
     * @param job        a SUCCEEDED train or masktune job
     * @param kind       its checkpoint: best or last (train), finetuned (masktune); default best for a
     *                   train job, finetuned for a masktune job
     * @param checkpoint a model checkpoint by id, instead of job and kind
     */
    @Schema(description = "A model: {job, kind} or {checkpoint}")
    public record ModelRef(
            @Schema(description = "A SUCCEEDED train or masktune job")
            UUID job,
            @Schema(description = "Checkpoint kind of that job: best or last for a train job (default best), finetuned for a masktune job"
                    + " (the default)", allowableValues = {"best", "last", "finetuned"})
            String kind,
            @Schema(description = "A model checkpoint by id, instead of job and kind")
            UUID checkpoint) {

        public static final List<String> KINDS = List.of("best", "last", "finetuned");

        public ModelRef {
            if ((job == null) == (checkpoint == null)) {
                throw new IllegalArgumentException("give either job (with an optional kind) or checkpoint, not "
                        + (job == null ? "neither" : "both"));
            }
            if (kind != null && checkpoint != null) {
                throw new IllegalArgumentException("kind goes with job; a checkpoint id already names one checkpoint");
            }
            if (kind != null && !KINDS.contains(kind)) {
                throw new IllegalArgumentException("kind must be one of " + KINDS + ", got '" + kind + "'");
            }
        }
    }
}
