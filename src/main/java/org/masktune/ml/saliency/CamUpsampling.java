package org.masktune.ml.saliency;

/** How a low-resolution CAM is brought to the input size before thresholding. */
public enum CamUpsampling {
    /** MaskTune's: bilinear with align_corners=false, then min–max again. */
    BILINEAR,
    /** Each CAM cell covers its input pixels with one value, so a mask follows cell borders. */
    NEAREST
}
