package org.masktune.ml.models;

/**
 * What the model catalogue says about an architecture.
 *
 * @param name             registry name, e.g. {@code resnet32}
 * @param description      one line: the layout and where it comes from
 * @param camLayer         where features end and the head starts (the xGradCAM target layer)
 * @param defaultImageSize input side the architecture is meant for
 * @param paramCount       trainable parameters for the reference input 3×32×32 with 10 classes
 * @param minImageSize     smallest input side the architecture accepts
 * @param revision         layout revision new models are built with; a checkpoint keeps the revision it was
 *                         written with (its {@code ModelSpec.revision}), so older layouts still load
 */
public record ArchitectureInfo(
        String name, String description, String camLayer, int defaultImageSize, long paramCount, int minImageSize, int revision) {
}
