package org.masktune.ml.saliency;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's thread-local gradient recording off for a scope and restores the previous state.
 * Needed because a thread created by an executor starts with recording on, and a features pass that
 * records a graph would waste memory and could push gradients into the features' parameters.
 */
final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    static GradMode disabled() {
        return new GradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
