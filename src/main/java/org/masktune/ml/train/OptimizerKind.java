package org.masktune.ml.train;

/** The optimisers a training run can use. */
public enum OptimizerKind {
    /** PyTorch's {@code torch.optim.SGD} with momentum, L2 weight decay and optional Nesterov. */
    SGD,
    /** PyTorch's {@code torch.optim.Adam} (betas 0.9/0.999, eps 1e-8, L2 weight decay added to the gradient). */
    ADAM
}
