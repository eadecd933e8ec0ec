package org.masktune.training;

/** The checkpoint kinds a training run keeps. */
public final class CheckpointKinds {

    /** Highest validation accuracy so far (model selection without group labels, as the reference does). */
    public static final String BEST = "best";

    /** After the latest finished epoch, with optimiser state: what a re-run resumes from and MaskTune fine-tunes. */
    public static final String LAST = "last";

    /** The MaskTune fine-tuned model. */
    public static final String FINETUNED = "finetuned";

    private CheckpointKinds() {
    }
}
