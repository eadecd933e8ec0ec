package org.masktune.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/**
 * {@code torch.optim.Adam} with its defaults (β1 0.9, β2 0.999, ε 1e-8, no AMSGrad): g = g + wd·w;
 * m = lerp(m, g, 1 − β1); v = β2·v + (1 − β2)·g²; w −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
 */
public final class AdamOptimizer extends Optimizer {

    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final float EPSILON = 1e-8f;

    private final float weightDecay;

    public AdamOptimizer(PairList<String, Parameter> parameters, NDManager manager, float weightDecay) {
        super(parameters, manager);
        this.weightDecay = weightDecay;
    }

    @Override
    public OptimizerKind kind() {
        return OptimizerKind.ADAM;
    }

    @Override
    protected void update(String name, NDArray weight, NDArray gradient, float learningRate) {
        NDArray g = weightDecay != 0 ? gradient.add(weight.mul(weightDecay)) : gradient;
        NDArray m = buffer(EXP_AVG, name);
        NDArray v = buffer(EXP_AVG_SQ, name);
        if (m == null) {
            m = keep(EXP_AVG, name, weight.zerosLike());
            v = keep(EXP_AVG_SQ, name, weight.zerosLike());
        }
        m.addi(g.sub(m).muli((float) (1 - BETA1)));
        v.muli((float) BETA2).addi(g.mul(g).muli((float) (1 - BETA2)));
        double biasCorrection1 = 1 - Math.pow(BETA1, steps);
        double biasCorrection2 = 1 - Math.pow(BETA2, steps);
        float stepSize = (float) (learningRate / biasCorrection1);
        NDArray denominator = v.sqrt().divi((float) Math.sqrt(biasCorrection2)).addi(EPSILON);
        weight.subi(m.div(denominator).muli(stepSize));
    }
}
