package org.masktune.training;

import org.masktune.training.task.TrainTask;
import org.masktune.runner.JobType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.train.InputNormalization;
import org.masktune.ml.train.TrainSettings;

/**
 * A TRAIN job: ERM training of {@code model} on {@code dataset}. The record is the request body, the
 * stored jsonb and what the child JVM reads, so defaults are filled in once, here and in its parts.
 *
 * @param inputNormalization default: {@link InputNormalization#UNIT} for the MNIST family (the built-ins and
 *                           IDX files), as the MaskTune authors feed Biased MNIST ({@code ToTensor()} only);
 *                           {@link InputNormalization#DATASET_MEAN_STD} for every other format
 */
@Schema(description = "ERM training of an architecture on a dataset")
public record TrainConfig(
        @Schema(description = "The dataset (a built-in by name, or a folder under a data root)", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "{\"format\":\"BUILTIN\",\"name\":\"biased-mnist\"}")
        @NotNull @Valid DatasetSpec dataset,
        @Schema(description = "Architecture, see GET /api/v1/models", example = "small-cnn", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotBlank String model,
        @Schema(description = "Hyper-parameters; omitted fields take their defaults")
        @Valid TrainSettings training,
        @Schema(description = "Input normalisation. Default UNIT (pixel/255, as the MaskTune authors' ToTensor()) for the built-in"
                + " datasets and IDX (MNIST / Fashion-MNIST) files, DATASET_MEAN_STD for every other format", example = "UNIT")
        InputNormalization inputNormalization,
        @Schema(description = "Starting weights instead of a random init (optional)",
                example = "{\"path\":\"weights/resnet50-imagenet.safetensors\"}")
        @JsonInclude(JsonInclude.Include.NON_NULL) InitialWeights initialWeights) {

    public static final JobType<TrainConfig> TYPE = new JobType<>("train", TrainConfig.class, TrainTask.class);

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public TrainConfig {
        training = training == null ? TrainSettings.defaults() : training;
        inputNormalization = inputNormalization != null || dataset == null ? inputNormalization : defaultNormalization(dataset);
    }

    /** A TRAIN job from a random initialisation with the default input normalisation of {@code dataset}. */
    public TrainConfig(DatasetSpec dataset, String model, TrainSettings training) {
        this(dataset, model, training, null, null);
    }

    /** The authors' choice for the MNIST family (pixel/255); our per-channel standardisation elsewhere. */
    public static InputNormalization defaultNormalization(DatasetSpec dataset) {
        return dataset.format() == DatasetFormat.BUILTIN || dataset.format() == DatasetFormat.IDX
                ? InputNormalization.UNIT : InputNormalization.DATASET_MEAN_STD;
    }

}
