package org.masktune.ml.train;

/** How the learning rate changes from epoch to epoch. */
public enum ScheduleKind {
    /** The same rate every epoch (the MaskTune code never steps its scheduler). */
    CONSTANT,
    /** Multiply by gamma at each milestone epoch (PyTorch's {@code MultiStepLR}, stepped per epoch). */
    MULTI_STEP,
    /** Half-cosine from the base rate towards 0 over the run (PyTorch's {@code CosineAnnealingLR}, T_max = epochs). */
    COSINE
}
