package org.masktune.ml.saliency;

import java.util.Objects;

/**
 * Knobs of one masking pass. Masking always works on the pixels of the set it is given, so
 * accumulative masking (MaskTune's {@code accumulative} option) is simply passing the previously masked
 * set back in.
 *
 * @param strategy          which masker
 * @param rule              xGradCAM: how the map becomes a mask and what masked pixels become (reference: {@link MaskRule#paper()})
 * @param seed              RANDOM: seed of the hole positions and sides
 * @param minSide           RANDOM: smallest hole side in px (reference: 2)
 * @param maxSide           RANDOM: largest hole side in px (reference: 14)
 * @param attentionQuantile SEED_ATTENTION: quantile of the attention map used as threshold (seed: 0.75)
 * @param attenuation       SEED_ATTENTION: factor applied to pixels above the threshold (seed: 0.5)
 * @param previewCount      how many of the first images keep their saliency maps for previews
 */
public record MaskingOptions(
        MaskingStrategy strategy,
        MaskRule rule,
        long seed,
        int minSide,
        int maxSide,
        double attentionQuantile,
        double attenuation,
        int previewCount) {

    public MaskingOptions {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(rule, "rule");
        if (minSide < 1 || maxSide < minSide) {
            throw new IllegalArgumentException("need 1 <= minSide <= maxSide, got " + minSide + ".." + maxSide);
        }
        if (!(attentionQuantile >= 0 && attentionQuantile <= 1)) {
            throw new IllegalArgumentException("attentionQuantile must be in [0, 1], got " + attentionQuantile);
        }
        if (!(attenuation >= 0 && attenuation <= 1)) {
            throw new IllegalArgumentException("attenuation must be in [0, 1], got " + attenuation);
        }
        if (previewCount < 0) {
            throw new IllegalArgumentException("previewCount must be >= 0, got " + previewCount);
        }
    }

    /** The reference's defaults for {@code strategy}: the paper's rule (k = 2), holes 2–14 px, 0.75 quantile, ×0.5, 8 previews. */
    public static MaskingOptions defaults(MaskingStrategy strategy) {
        return new MaskingOptions(strategy, MaskRule.paper(), 0L, 2, 14, 0.75, 0.5, 8);
    }

    /** xGradCAM: τ = μ + k·σ. */
    public double k() {
        return rule.k();
    }

    public MaskingOptions withK(double newK) {
        return withRule(rule.withK(newK));
    }

    public MaskingOptions withRule(MaskRule newRule) {
        return new MaskingOptions(strategy, newRule, seed, minSide, maxSide, attentionQuantile, attenuation, previewCount);
    }

    public MaskingOptions withSeed(long newSeed) {
        return new MaskingOptions(strategy, rule, newSeed, minSide, maxSide, attentionQuantile, attenuation, previewCount);
    }

    public MaskingOptions withPreviewCount(int count) {
        return new MaskingOptions(strategy, rule, seed, minSide, maxSide, attentionQuantile, attenuation, count);
    }
}
