package org.masktune.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * The two autograd controls DJL's API does not expose, taken from the PyTorch engine: a no-grad
 * section (PyTorch's grad mode is per thread and new threads start with it on) and zeroing the
 * gradients that backward accumulates into.
 */
public final class Autograd {

    private Autograd() {
    }

    /** Turns gradient recording off until {@link NoGrad#close()}, which restores the previous mode. */
    public static NoGrad noGrad() {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return new NoGrad(previous);
    }

    /** Sets every trainable parameter's accumulated gradient to zero (PyTorch's {@code zero_grad}). */
    public static void zeroGradients(PairList<String, Parameter> parameters) {
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient()) {
                NDArray array = p.getValue().getArray();
                JniUtils.zeroGrad((PtNDArray) array);
            }
        }
    }

    /** A scope with gradient recording off. */
    public static final class NoGrad implements AutoCloseable {
        private final boolean previous;

        private NoGrad(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            JniUtils.setGradMode(previous);
        }
    }
}
