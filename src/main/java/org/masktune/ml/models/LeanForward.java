package org.masktune.ml.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

/**
 * {@code block.forward(...)} that frees intermediate results as soon as the next layer has consumed them,
 * as PyTorch's reference counting does. Plain DJL keeps every array an op returns until its manager is
 * closed, i.e. every activation of the whole pass lives to the end of the batch: memory grows by all
 * activations per pass and every op writes into fresh, not-yet-touched pages. Here a
 * {@link SequentialBlock} is walked child by child (recursively); each child's own temporaries are
 * closed when it returns, and its input when the following child has run. Other blocks (a residual's
 * {@code ParallelBlock}, a convolution) are forwarded as a unit.
 *
 * <p>The result is bit-identical to {@code block.forward}: the same blocks run in the same order on the
 * same arrays. It is also safe while recording gradients: closing a Java handle only drops that handle's
 * reference; what autograd saved for backward stays referenced by the graph of the returned output.
 * The inputs are never closed; the output belongs to whatever manager the ops put it in (the first
 * operand's, as usual) and is not registered in any enclosing {@link NDScope}.
 */
public final class LeanForward {

    private LeanForward() {
    }

    public static NDList forward(Block block, ParameterStore parameters, NDList inputs, boolean training) {
        if (!(block instanceof SequentialBlock sequential) || sequential.getChildren().isEmpty()) {
            return block.forward(parameters, inputs, training);
        }
        NDList current = inputs;
        for (Block child : sequential.getChildren().values()) {
            NDList next;
            try (NDScope scope = new NDScope()) {
                next = forward(child, parameters, current, training);
                for (NDArray array : next) {
                    NDScope.unregister(array);
                }
                scope.suppressNotUsedWarning();
            }
            if (current != inputs) {
                closeExcept(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code list} that are not also in {@code keep} (a child may pass an input through). */
    private static void closeExcept(NDList list, NDList keep) {
        for (NDArray array : list) {
            boolean kept = false;
            for (NDArray k : keep) {
                kept |= k == array;
            }
            if (!kept) {
                array.close();
            }
        }
    }
}
