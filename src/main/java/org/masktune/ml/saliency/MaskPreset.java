package org.masktune.ml.saliency;

/** Named mask rules, so that a user need not know the knobs. */
public enum MaskPreset {
    /** MaskTune as published and as the authors' code does it: {@link MaskRule#paper()}. */
    PAPER,
    /** The rule recommended from the robustness study (bench/robustness): {@link MaskRule#robust()}. */
    ROBUST;

    public MaskRule rule() {
        return this == PAPER ? MaskRule.paper() : MaskRule.robust();
    }
}
