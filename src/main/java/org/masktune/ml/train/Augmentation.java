package org.masktune.ml.train;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Training-time augmentations, applied on the fly to raw pixels in this order: random resized crop,
 * random crop with zero padding, horizontal flip (then normalisation). Each image draws its own
 * random numbers from (seed, epoch, image index), so a batch's augmentation does not depend on which
 * other images share the batch.
 *
 * @param horizontalFlip         mirror left–right with probability 0.5
 * @param randomCropPadding      pad every side with this many black pixels, then crop back to the
 *                               original size at a random offset (torchvision {@code RandomCrop(s, padding)}); 0 = off
 * @param randomResizedCropScale area fraction range of torchvision's {@code RandomResizedCrop}
 *                               (aspect ratio 3/4–4/3, bilinear back to the input size); null = off
 */
@Schema(description = "On-the-fly training augmentations (all off by default).")
public record Augmentation(
        @Schema(description = "Mirror each image left-right with probability 0.5.", example = "true", defaultValue = "false")
        Boolean horizontalFlip,
        @Schema(description = "Zero padding in pixels before a random crop back to the input size; 0 disables it.",
                example = "4", defaultValue = "0")
        @Min(0) @Max(64) Integer randomCropPadding,
        @Schema(description = "Area fraction range of a random resized crop; omit to disable it.")
        @Valid ScaleRange randomResizedCropScale) {

    public Augmentation {
        horizontalFlip = horizontalFlip != null ? horizontalFlip : Boolean.FALSE;
        randomCropPadding = randomCropPadding != null ? randomCropPadding : 0;
        if (randomCropPadding < 0 || randomCropPadding > 64) {
            throw new IllegalArgumentException("augmentation.randomCropPadding must be in 0..64, got " + randomCropPadding);
        }
    }

    public static Augmentation none() {
        return new Augmentation(false, 0, null);
    }

    public boolean isNone() {
        return !horizontalFlip && randomCropPadding == 0 && randomResizedCropScale == null;
    }

    /** Fraction of the image area a random resized crop covers, drawn uniformly from [min, max]. */
    @Schema(description = "Area fraction range, 0 < min <= max <= 1.")
    public record ScaleRange(
            @Schema(description = "smallest area fraction", example = "0.08") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double min,
            @Schema(description = "largest area fraction", example = "1.0") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double max) {

        public ScaleRange {
            if (!(min > 0 && min <= max && max <= 1)) {
                throw new IllegalArgumentException("augmentation.randomResizedCropScale needs 0 < min <= max <= 1, got [" + min + ", " + max + "]");
            }
        }
    }
}
