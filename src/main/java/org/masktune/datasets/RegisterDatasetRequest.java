package org.masktune.datasets;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.masktune.ml.data.DatasetSpec;

/** Body of {@code POST /api/v1/datasets}. */
@Schema(description = "Register a dataset under a name")
public record RegisterDatasetRequest(
        @NotNull
        @Pattern(regexp = DatasetRegistry.NAME_PATTERN,
                message = "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit")
        @Schema(description = "Registry name (the built-in names are reserved)", example = "fashion-mnist",
                pattern = DatasetRegistry.NAME_PATTERN, requiredMode = Schema.RequiredMode.REQUIRED)
        String name,
        @NotNull
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        @jakarta.validation.Valid DatasetSpec spec) {
}
