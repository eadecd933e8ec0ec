package org.masktune.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.train.TrainSettings;

/**
 * A TRAIN job: ERM training of {@code model} on {@code dataset}. The record is the request body, the
 * stored jsonb and what the child JVM reads, so defaults are filled in once, here and in its parts.
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
        @Schema(description = "Starting weights instead of a random init (optional)",
                example = "{\"path\":\"weights/resnet50-imagenet.safetensors\"}")
        @JsonInclude(JsonInclude.Include.NON_NULL) InitialWeights initialWeights) {

    public TrainConfig {
        training = training == null ? TrainSettings.defaults() : training;
    }

    /** A config that starts from a random initialisation. */
    public TrainConfig(DatasetSpec dataset, String model, TrainSettings training) {
        this(dataset, model, training, null);
    }
}
