package org.masktune.artifacts;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every kind of file a job leaves behind, in one place: its stored name (the {@code kind} column and the
 * {@code kind} of the JSON views), whether it is a model checkpoint, and how a download is labelled.
 * Kinds stored by older versions or written directly through the store keep working as
 * {@code application/octet-stream} model-like files; {@link #of} leaves them out.
 */
public enum ArtifactKind {

    /** Highest validation accuracy so far (model selection without group labels, as the reference does). */
    BEST("best", true, "application/octet-stream", ".ckpt"),
    /** After the latest finished epoch, with optimiser state: what a re-run resumes from and MaskTune fine-tunes. */
    LAST("last", true, "application/octet-stream", ".ckpt"),
    /** The MaskTune fine-tuned model. */
    FINETUNED("finetuned", true, "application/octet-stream", ".ckpt"),
    /** The masks a MaskTune job fine-tuned with: one bit per pixel position and image, per layer (MaskFile, gzip). */
    MASKS("masks", false, "application/gzip", ".mtmk.gz"),
    /** A full masked copy of the training set (gzip: "MTIS", version, shape, names, labels, pixels), stored by MaskTune jobs before masks replaced copies; still served. */
    MASKED_SET("masked-set", false, "application/gzip", ".mtis.gz"),
    /** The first training images of a MaskTune job: original, saliency, masked, mask. */
    MASK_PREVIEW("mask-preview", false, "image/png", ".png"),
    /** An evaluation's per-image predictions. */
    PREDICTIONS("predictions", false, "text/csv", ".csv");

    private final String id;
    private final boolean model;
    private final String mediaType;
    private final String extension;

    ArtifactKind(String id, boolean model, String mediaType, String extension) {
        this.id = id;
        this.model = model;
        this.mediaType = mediaType;
        this.extension = extension;
    }

    /** The stored name, e.g. {@code mask-preview}. */
    public String id() {
        return id;
    }

    public boolean isModel() {
        return model;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** The kind stored as {@code id}, if it is one of these. */
    public static Optional<ArtifactKind> of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** Whether a stored kind is a model checkpoint: a model kind, or one this enum does not know (older rows, tools). */
    public static boolean isModel(String id) {
        return of(id).map(ArtifactKind::isModel).orElse(true);
    }

    public static String mediaTypeOf(String id) {
        return of(id).map(ArtifactKind::mediaType).orElse("application/octet-stream");
    }

    /** The download's file name: {@code <job>-<kind><extension>}. */
    public static String fileName(java.util.UUID job, String id) {
        return job + "-" + id + of(id).map(ArtifactKind::extension).orElse(".ckpt");
    }
}
