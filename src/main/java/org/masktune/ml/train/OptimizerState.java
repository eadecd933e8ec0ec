package org.masktune.ml.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An optimiser's resumable state as plain Java values: the step count and its per-parameter buffers
 * keyed {@code "<buffer>:<parameter name>"} (e.g. {@code momentum_buffer:01SequentialBlock_01Conv2d_weight}).
 *
 * @param kind    which optimiser wrote it
 * @param steps   updates made so far (Adam's bias correction depends on it)
 * @param tensors buffers in a stable order, each flattened row-major like its parameter
 */
public record OptimizerState(OptimizerKind kind, long steps, Map<String, float[]> tensors) {

    public OptimizerState {
        Objects.requireNonNull(kind, "kind");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
