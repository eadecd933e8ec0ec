package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each optimiser on w = [1, −2] with loss Σ c·w + ½Σ w², so the gradient is c + w (c = [0.5, −0.25]),
 * against PyTorch's update formulas written out in double precision.
 */
class OptimizersTest {

    private static final double[] C = {0.5, -0.25};
    private static final double[] W0 = {1.0, -2.0};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void sgdWithMomentumAndWeightDecayFollowsPyTorch() {
        assertSgd(false);
    }

    @Test
    void nesterovSgdFollowsPyTorch() {
        assertSgd(true);
    }

    private void assertSgd(boolean nesterov) {
        double lr = 0.1;
        double m = 0.9;
        double wd = 0.01;
        double[] w = W0.clone();
        double[] buf = new double[2];
        ParameterList params = parameter(W0);
        try (Optimizer sgd = new SgdOptimizer(params, manager, (float) m, (float) wd, nesterov)) {
            for (int t = 1; t <= 3; t++) {
                backward(params);
                sgd.step((float) lr);
                for (int i = 0; i < 2; i++) {
                    double d = C[i] + w[i] + wd * w[i];
                    buf[i] = t == 1 ? d : m * buf[i] + d;
                    d = nesterov ? d + m * buf[i] : buf[i];
                    w[i] -= lr * d;
                }
                assertArrayEquals(w, values(params), 1e-6, "step " + t);
            }
        }
    }

    @Test
    void adamFollowsPyTorch() {
        double lr = 0.01;
        double wd = 0.01;
        double[] w = W0.clone();
        double[] m = new double[2];
        double[] v = new double[2];
        ParameterList params = parameter(W0);
        try (Optimizer adam = new AdamOptimizer(params, manager, (float) wd)) {
            for (int t = 1; t <= 3; t++) {
                backward(params);
                adam.step((float) lr);
                for (int i = 0; i < 2; i++) {
                    double g = C[i] + w[i] + wd * w[i];
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                    w[i] -= lr / (1 - Math.pow(0.9, t)) * m[i] / denominator;
                }
                assertArrayEquals(w, values(params), 1e-6, "step " + t);
            }
        }
    }

    @Test
    void sgdStateRestoredIntoAFreshOptimizerGivesTheUninterruptedNextStep() {
        assertResumesExactly(p -> new SgdOptimizer(p, manager, 0.9f, 0.01f, true));
    }

    @Test
    void adamStateRestoredIntoAFreshOptimizerGivesTheUninterruptedNextStep() {
        assertResumesExactly(p -> new AdamOptimizer(p, manager, 0.01f));
    }

    private void assertResumesExactly(java.util.function.Function<ParameterList, Optimizer> factory) {
        ParameterList original = parameter(W0);
        try (Optimizer uninterrupted = factory.apply(original)) {
            for (int t = 0; t < 2; t++) {
                backward(original);
                uninterrupted.step(0.05f);
            }
            OptimizerState saved = uninterrupted.state();
            assertEquals(2, saved.steps());
            ParameterList copy = parameter(values(original));
            try (Optimizer resumed = factory.apply(copy)) {
                resumed.loadState(saved);
                backward(original);
                uninterrupted.step(0.05f);
                backward(copy);
                resumed.step(0.05f);
                assertArrayEquals(values(original), values(copy), 0.0);
                assertEquals(3, resumed.state().steps());
            }
        }
    }

    @Test
    void stateOfAnotherOptimizerKindIsRejected() {
        ParameterList params = parameter(W0);
        try (Optimizer sgd = new SgdOptimizer(params, manager, 0.9f, 0, false);
             Optimizer adam = new AdamOptimizer(params, manager, 0)) {
            backward(params);
            sgd.step(0.1f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(sgd.state()));
            assertEquals("optimizer state was saved by SGD, this run uses ADAM", e.getMessage());
        }
    }

    private ParameterList parameter(double[] values) {
        NDArray array = manager.create(new float[] {(float) values[0], (float) values[1]});
        array.setRequiresGradient(true);
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(array).build();
        ParameterList list = new ParameterList();
        list.add("w", p);
        return list;
    }

    /** Sets the gradient of every parameter to c + w. */
    private void backward(ParameterList params) {
        Autograd.zeroGradients(params);
        NDArray w = params.get(0).getValue().getArray();
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray c = step.create(new float[] {(float) C[0], (float) C[1]});
            NDArray loss = c.mul(w).sum().add(w.mul(w).sum().mul(0.5f));
            collector.backward(loss);
        }
    }

    private static double[] values(ParameterList params) {
        float[] f = params.get(0).getValue().getArray().toFloatArray();
        return new double[] {f[0], f[1]};
    }
}
