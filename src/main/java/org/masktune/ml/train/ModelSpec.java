package org.masktune.ml.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Objects;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.models.Architectures;
import org.masktune.ml.models.FeatureGate;
import org.masktune.ml.models.Classifier;

/**
 * Everything needed to rebuild a model and feed it: the architecture, the input it expects and the
 * meaning of its outputs.
 *
 * @param architecture  registry name (see {@link Architectures})
 * @param channels      input channels
 * @param classes       outputs (classes, or attributes of a multi-label model)
 * @param imageSize     input side in pixels (square inputs)
 * @param normalization input normalisation the model was trained with
 * @param classNames    name of each output, index = output
 * @param featureGate   whether a {@link org.masktune.ml.models.FeatureGate} sits between features and head
 *                      (the seed-feature-gate variant of MaskTune)
 * @param revision      the architecture's layout revision (see {@link org.masktune.ml.models.ArchitectureInfo#revision});
 *                      absent (null) = 1, the first layout, which is what every checkpoint written before
 *                      revisions existed holds (e.g. small-cnn without the head's BatchNorm1d)
 */
@Schema(description = "Architecture, input shape, normalisation and output names of a model.")
public record ModelSpec(
        String architecture, int channels, int classes, int imageSize, Normalization normalization, List<String> classNames,
        boolean featureGate,
        @Schema(description = "Layout revision of the architecture (small-cnn: 1 = FC-ReLU-FC head of the first release,"
                + " 2 = the authors' FC-BatchNorm1d-ReLU-FC); absent = 1", example = "2")
        Integer revision) {

    /** What a spec without a revision (every checkpoint written before revisions existed) means. */
    public static final int FIRST_REVISION = 1;

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public ModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(normalization, "normalization");
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        int current = Architectures.info(architecture).revision();
        revision = revision == null ? FIRST_REVISION : revision;
        if (revision < FIRST_REVISION || revision > current) {
            throw new IllegalArgumentException(architecture + " has layout revisions " + FIRST_REVISION + ".." + current + ", got " + revision);
        }
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException("normalisation has " + normalization.channels() + " channels, the input " + channels);
        }
        if (!classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + classes + " outputs");
        }
    }

    /** The same spec in the architecture's current revision, as new models are built (legacy: {@code revision} null = 1). */
    public ModelSpec(String architecture, int channels, int classes, int imageSize, Normalization normalization, List<String> classNames,
            boolean featureGate) {
        this(architecture, channels, classes, imageSize, normalization, classNames, featureGate, Architectures.info(architecture).revision());
    }

    /** The spec for training {@code architecture} on {@code train} (square images) with {@code normalization}, current revision. */
    public static ModelSpec forData(String architecture, ImageSource train, Normalization normalization) {
        if (train.height() != train.width()) {
            throw new IllegalArgumentException("images must be square, got " + train.height() + "x" + train.width());
        }
        List<String> names = train.isMultiLabel() ? train.attributeNames() : train.classes();
        return new ModelSpec(architecture, train.channels(), names.size(), train.height(), normalization, names, false);
    }

    /** The same model with a feature gate in front of its head. */
    public ModelSpec withFeatureGate() {
        return new ModelSpec(architecture, channels, classes, imageSize, normalization, classNames, true, revision);
    }

    /** A new, uninitialised classifier of this spec. */
    public Classifier build() {
        Classifier plain = Architectures.build(architecture, channels, classes, imageSize, revision);
        return featureGate ? FeatureGate.wrap(plain) : plain;
    }

    /** A new classifier with fresh parameters in {@code manager} (seed the engine first for reproducibility). */
    public Classifier newClassifier(NDManager manager) {
        return build().initialize(manager, channels, imageSize, imageSize);
    }
}
