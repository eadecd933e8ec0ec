package org.masktune.ml.train;

import io.swagger.v3.oas.annotations.media.Schema;
import org.masktune.ml.data.ImageSet;

/**
 * How a TRAIN job turns raw pixels into model inputs; the chosen {@link Normalization} is stored in the
 * model's {@link ModelSpec}, so evaluation and MaskTune feed the model the same way.
 */
@Schema(description = "Input normalisation of a TRAIN job: UNIT = pixel/255 only (torchvision's ToTensor(), what the"
        + " MaskTune authors feed MNIST); DATASET_MEAN_STD = (pixel/255 - mean) / std per channel, measured on the training split")
public enum InputNormalization {
    /** {@code (p/255 − mean[c]) / std[c]} with the training split's own statistics. */
    DATASET_MEAN_STD,
    /** {@code p/255} only, as the authors' {@code transforms.ToTensor()}. */
    UNIT;

    /** The normalisation for a model trained on {@code train}. */
    public Normalization of(org.masktune.ml.data.ImageSource train) {
        return switch (this) {
            case DATASET_MEAN_STD -> Normalization.fromData(train);
            case UNIT -> Normalization.unit(train.channels());
        };
    }
}
