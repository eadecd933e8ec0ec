package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.ImageSet;

class LossesTest {

    @Test
    void softmaxCrossEntropyMatchesTheHandValue() {
        // logits (2, 0, −1), label 0: log(e² + 1 + e⁻¹) − 2 = 0.17039...; logits (0, 0, 0), label 2: log 3
        double expected = ((Math.log(Math.exp(2) + 1 + Math.exp(-1)) - 2) + Math.log(3)) / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            float loss = Losses.softmaxCrossEntropy(m.create(new float[] {2, 0, -1, 0, 0, 0}, new Shape(2, 3)),
                    m.create(new float[] {1, 0, 0, 0, 0, 1}, new Shape(2, 3))).getFloat();
            assertEquals(expected, loss, 1e-6);
        }
        ImageSet set = ImageSet.of(1, 1, 1, new byte[2], new int[] {0, 2}, List.of("a", "b", "c"));
        assertEquals(Math.log(Math.exp(2) + 1 + Math.exp(-1)) - 2, BatchMetrics.loss(set, 0, new float[] {2, 0, -1}), 1e-12);
    }

    @Test
    void binaryCrossEntropyAndPerAttributeAccuracyOfAMultiLabelBatch() {
        // logits (1, −1 | −2, 3), targets (1, 1 | 0, 1): BCE = mean of softplus(−1), softplus(1), softplus(−2), softplus(−3)
        double expected = (softplus(-1) + softplus(1) + softplus(-2) + softplus(-3)) / 4;
        float[] logits = {1, -1, -2, 3};
        try (NDManager m = NDManager.newBaseManager()) {
            float loss = Losses.binaryCrossEntropyWithLogits(m.create(logits, new Shape(2, 2)),
                    m.create(new float[] {1, 1, 0, 1}, new Shape(2, 2))).getFloat();
            assertEquals(expected, loss, 1e-6);
        }
        ImageSet set = new ImageSet(1, 1, 1, new byte[2], new int[] {0, 0}, null, List.of("x"), List.of(),
                new byte[] {1, 1, 0, 1}, List.of("p", "q"));
        BatchMetrics metrics = new BatchMetrics();
        metrics.add(set, new int[] {0, 1}, logits, 2, loss(set, logits));
        // signs right for 3 of the 4 (image, attribute) pairs
        assertEquals(0.75, metrics.accuracy(), 0);
        assertEquals(expected, metrics.loss(), 1e-9);
    }

    private static double loss(ImageSet set, float[] logits) {
        return (BatchMetrics.loss(set, 0, new float[] {logits[0], logits[1]}) + BatchMetrics.loss(set, 1, new float[] {logits[2], logits[3]})) / 2;
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }
}
