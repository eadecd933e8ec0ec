package org.masktune.ml.saliency;

/** How a training set is masked before the fine-tune epoch. */
public enum MaskingStrategy {
    /** MaskTune's default: xGradCAM map, τ = μ + kσ over its positive values, salient pixels set to 0. */
    XGRADCAM,
    /** The paper's ablation: one random square hole (side 2–14 px) per image, set to 0. */
    RANDOM,
    /** The seed project's variant: channel-mean activation above its 0.75 quantile, attenuated ×0.5. */
    SEED_ATTENTION,
    /**
     * The seed project's ResNet-50 variant: no pixel masking at all; a learned 1×1-conv + sigmoid gate
     * multiplies the last feature map and the gated model is fine-tuned (see {@code FeatureGate}).
     */
    SEED_FEATURE_GATE;

    /** Whether this strategy masks pixels (all but the feature gate). */
    public boolean masksPixels() {
        return this != SEED_FEATURE_GATE;
    }
}
