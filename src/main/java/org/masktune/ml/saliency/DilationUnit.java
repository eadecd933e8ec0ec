package org.masktune.ml.saliency;

/** The unit of a mask dilation radius. */
public enum DilationUnit {
    /** Input pixels. */
    PIXELS,
    /**
     * CAM cells: the radius in pixels is {@code dilation × input side / CAM side}, so the same setting scales from
     * a 28 px digit with an 8 × 8 CAM to a 224 px photo with a 7 × 7 one.
     */
    CAM_CELLS
}
