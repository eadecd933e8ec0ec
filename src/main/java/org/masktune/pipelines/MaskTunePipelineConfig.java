package org.masktune.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.masktune.masktune.MaskTuneConfig;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.train.InputNormalization;
import org.masktune.ml.train.TrainSettings;
import org.masktune.training.InitialWeights;
import org.masktune.training.TrainConfig;

/**
 * train → masktune → evaluate in one request. Everything but the dataset has a default, so
 * {@code {"dataset": "biased-mnist"}} runs the paper's Biased MNIST experiment.
 */
@Schema(description = "ERM training, MaskTune and evaluation of the pair, as three linked jobs")
public record MaskTunePipelineConfig(
        @Schema(description = "A built-in name (\"biased-mnist\") or a dataset spec", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "biased-mnist")
        @NotNull @Valid DatasetSpec dataset,
        @Schema(description = "Architecture", example = "small-cnn", defaultValue = "small-cnn")
        @NotBlank String model,
        @Schema(description = "ERM hyper-parameters (defaults: the paper's Biased MNIST settings)")
        @Valid TrainSettings training,
        @Schema(description = "Input normalisation of the ERM model (MaskTune and evaluation reuse it). Default UNIT (pixel/255,"
                + " the authors' ToTensor()) for the built-in datasets and IDX files, DATASET_MEAN_STD for other formats", example = "UNIT")
        InputNormalization inputNormalization,
        @Schema(description = "MaskTune settings; sourceJob is set by the pipeline")
        @Valid MaskTuneConfig masktune,
        @Schema(description = "Target coverages (percent) of the selective-classification points", example = "[100, 95, 90, 85, 80]")
        @Size(min = 1, max = 101) List<@NotNull @DecimalMin("0.0") @DecimalMax("100.0") Double> coverages,
        @Schema(description = "Starting weights of the ERM model instead of a random init (optional), as a TRAIN job's",
                example = "{\"path\":\"weights/resnet50-imagenet.safetensors\"}")
        @JsonInclude(JsonInclude.Include.NON_NULL) InitialWeights initialWeights) {

    public MaskTunePipelineConfig {
        model = model == null ? "small-cnn" : model;
        training = training == null ? TrainSettings.defaults() : training;
        inputNormalization = inputNormalization != null || dataset == null ? inputNormalization : TrainConfig.defaultNormalization(dataset);
        masktune = masktune == null ? MaskTuneConfig.of(null) : masktune;
        if (masktune.sourceJob() != null) {
            throw new IllegalArgumentException("masktune.sourceJob is set by the pipeline; leave it out");
        }
        coverages = coverages == null ? List.of(100.0, 95.0, 90.0, 85.0, 80.0) : coverages;
    }
}
