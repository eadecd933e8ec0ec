package org.masktune.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A first-order optimiser bound to a model's trainable parameters, whose state can be saved and
 * restored exactly. Subclasses update the parameter arrays in place from their gradients with the
 * same formulas as PyTorch. Buffers live in the optimiser's own manager; {@link #close()} frees them.
 */
public abstract class Optimizer implements AutoCloseable {

    protected final List<Pair<String, Parameter>> parameters;
    protected final NDManager stateManager;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    protected long steps;

    protected Optimizer(PairList<String, Parameter> allParameters, NDManager manager) {
        this.parameters = allParameters.stream().filter(p -> p.getValue().requiresGradient()).toList();
        this.stateManager = manager.newSubManager();
    }

    /** The optimiser for {@code settings} over {@code parameters}, its buffers on {@code manager}'s device. */
    public static Optimizer create(TrainSettings settings, PairList<String, Parameter> parameters, NDManager manager) {
        return switch (settings.optimizer()) {
            case SGD -> new SgdOptimizer(parameters, manager, settings.momentum().floatValue(),
                    settings.weightDecay().floatValue(), settings.nesterov());
            case ADAM -> new AdamOptimizer(parameters, manager, settings.weightDecay().floatValue());
        };
    }

    public abstract OptimizerKind kind();

    /** One update of every trainable parameter from its current gradient, with this learning rate. */
    public final void step(float learningRate) {
        steps++;
        try (Autograd.NoGrad ignored = Autograd.noGrad(); NDScope scope = new NDScope()) {
            beforeStep(learningRate);
            for (Pair<String, Parameter> p : parameters) {
                NDArray weight = p.getValue().getArray();
                NDArray gradient = weight.getGradient();
                update(p.getKey(), weight, gradient, learningRate);
            }
            scope.suppressNotUsedWarning();
        }
    }

    /** Called once per step, inside the step's no-grad scope, before the first {@link #update}. */
    protected void beforeStep(float learningRate) {
    }

    /** A 0-dim float32 array holding {@code value}, on the state's device, freed with the optimiser. */
    protected NDArray constant(float value) {
        NDArray scalar = stateManager.create(value);
        NDScope.unregister(scalar);
        return scalar;
    }

    /** Updates {@code weight} in place; temporaries are freed by the surrounding scope. */
    protected abstract void update(String name, NDArray weight, NDArray gradient, float learningRate);

    /** The buffer {@code key} of parameter {@code name}, or null before it exists. */
    protected NDArray buffer(String key, String name) {
        return buffers.get(key + ":" + name);
    }

    /** Keeps {@code value} (a temporary of this step) as buffer {@code key} of parameter {@code name}. */
    protected NDArray keep(String key, String name, NDArray value) {
        NDScope.unregister(value);
        value.attach(stateManager);
        buffers.put(key + ":" + name, value);
        return value;
    }

    /** A copy of the state as plain Java arrays. */
    public OptimizerState state() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        buffers.forEach((key, array) -> tensors.put(key, array.toFloatArray()));
        return new OptimizerState(kind(), steps, tensors);
    }

    /**
     * Replaces the state with a saved one.
     *
     * @throws IllegalArgumentException if it was written by another optimiser kind or for other parameters
     */
    public void loadState(OptimizerState state) {
        if (state.kind() != kind()) {
            throw new IllegalArgumentException("optimizer state was saved by " + state.kind() + ", this run uses " + kind());
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        parameters.forEach(p -> byName.put(p.getKey(), p.getValue()));
        Map<String, NDArray> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.tensors().entrySet()) {
            String name = e.getKey().substring(e.getKey().indexOf(':') + 1);
            Parameter parameter = byName.get(name);
            Shape shape = parameter == null ? null : parameter.getArray().getShape();
            if (shape == null || shape.size() != e.getValue().length) {
                loaded.values().forEach(NDArray::close);
                throw new IllegalArgumentException("optimizer state entry " + e.getKey() + " does not fit this model's parameters");
            }
            NDArray array = stateManager.create(e.getValue(), shape)
                    .toDevice(parameter.getArray().getDevice(), false);
            array.attach(stateManager);
            loaded.put(e.getKey(), array);
        }
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        buffers.putAll(loaded);
        steps = state.steps();
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
