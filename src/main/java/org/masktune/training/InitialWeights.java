package org.masktune.training;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

/**
 * Where a TRAIN job's starting weights come from instead of a random initialisation: a safetensors
 * file with PyTorch names under a data root ({@code interop/pytorch/pth_to_safetensors.py} converts a
 * {@code .pth}), or a stored model checkpoint. Exactly one of the two.
 */
@Schema(description = "Start from these weights instead of a random init: a safetensors file under a data root"
        + " (torchvision state_dict names) or a stored checkpoint; exactly one. A classifier head that does not fit the"
        + " dataset's classes is replaced (and said so in the job's events); any other missing, unexpected or mis-shaped"
        + " tensor is refused.")
public record InitialWeights(
        @Schema(description = "safetensors file relative to a data root", example = "weights/resnet50-imagenet.safetensors")
        String path,
        @Schema(description = "id of a stored checkpoint of the same architecture")
        UUID checkpoint) {

    public InitialWeights {
        if ((path == null || path.isBlank()) == (checkpoint == null)) {
            throw new IllegalArgumentException("initialWeights needs exactly one of path (a safetensors file under a data root)"
                    + " or checkpoint (a checkpoint id)");
        }
    }
}
