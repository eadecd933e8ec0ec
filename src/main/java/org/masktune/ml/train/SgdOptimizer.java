package org.masktune.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/**
 * {@code torch.optim.SGD} without dampening: d = g + wd·w; buf = m·buf + d (buf = d on the first
 * step); d = d + m·buf with Nesterov, else d = buf; w −= lr·d.
 */
public final class SgdOptimizer extends Optimizer {

    static final String MOMENTUM = "momentum_buffer";

    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;

    public SgdOptimizer(PairList<String, Parameter> parameters, NDManager manager, float momentum, float weightDecay, boolean nesterov) {
        super(parameters, manager);
        if (nesterov && momentum <= 0) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0");
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public OptimizerKind kind() {
        return OptimizerKind.SGD;
    }

    @Override
    protected void update(String name, NDArray weight, NDArray gradient, float learningRate) {
        NDArray d = weightDecay != 0 ? gradient.add(weight.mul(weightDecay)) : gradient;
        if (momentum != 0) {
            NDArray buf = buffer(MOMENTUM, name);
            if (buf == null) {
                buf = keep(MOMENTUM, name, d.duplicate());
            } else {
                buf.muli(momentum).addi(d);
            }
            d = nesterov ? d.add(buf.mul(momentum)) : buf;
        }
        weight.subi(d.mul(learningRate));
    }
}
