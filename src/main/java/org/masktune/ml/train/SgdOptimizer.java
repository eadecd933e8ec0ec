package org.masktune.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/**
 * {@code torch.optim.SGD} without dampening: d = g + wd·w; buf = m·buf + d (buf = d on the first
 * step); d = d + m·buf with Nesterov, else d = buf; w −= lr·d.
 *
 * <p>Per parameter this is six native ops and at most one temporary: the step's scalars (wd, m, lr) are
 * 0-dim arrays made once, not per op (DJL's {@code mul(Number)} creates and frees a native scalar
 * each time), and the buffer and weight are updated in place. The values are the same as the
 * straightforward out-of-place form; the gradient is left untouched.
 */
public final class SgdOptimizer extends Optimizer {

    static final String MOMENTUM = "momentum_buffer";

    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;
    private NDArray weightDecayScalar;
    private NDArray momentumScalar;
    private NDArray learningRateScalar;
    private float learningRateOfScalar = Float.NaN;

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
    protected void beforeStep(float learningRate) {
        if (weightDecayScalar == null) {
            weightDecayScalar = constant(weightDecay);
            momentumScalar = constant(momentum);
        }
        if (learningRateScalar == null || Float.compare(learningRate, learningRateOfScalar) != 0) {
            if (learningRateScalar != null) {
                learningRateScalar.close();
            }
            learningRateScalar = constant(learningRate);
            learningRateOfScalar = learningRate;
        }
    }

    @Override
    protected void update(String name, NDArray weight, NDArray gradient, float learningRate) {
        // wd·w + g equals g + wd·w exactly (float addition commutes); the product is this step's own temporary
        boolean ownsD = weightDecay != 0;
        NDArray d = ownsD ? weight.mul(weightDecayScalar).addi(gradient) : gradient;
        NDArray step = d;
        if (momentum != 0) {
            NDArray buf = buffer(MOMENTUM, name);
            if (buf == null) {
                // PyTorch clones d into the buffer; d itself may serve only while nothing updates it in place
                buf = keep(MOMENTUM, name, ownsD && !nesterov ? d : d.duplicate());
            } else {
                buf.muli(momentumScalar).addi(d);
            }
            step = nesterov ? (ownsD ? d.addi(buf.mul(momentumScalar)) : d.add(buf.mul(momentumScalar))) : buf;
        }
        weight.subi(step.mul(learningRateScalar));
    }
}
