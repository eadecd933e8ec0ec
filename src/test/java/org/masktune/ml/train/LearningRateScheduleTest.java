package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantByDefault() {
        LearningRateSchedule s = LearningRateSchedule.of(TrainSettings.defaults());
        assertArrayEquals(new double[] {0.01, 0.01, 0.01, 0.01, 0.01}, rates(s, 5), 0);
    }

    @Test
    void multiStepDecaysTheEpochAfterEachMilestone() {
        TrainSettings settings = new TrainSettings(null, 1.0, null, null, null, ScheduleKind.MULTI_STEP, List.of(2, 4), 0.1,
                5, null, null, null, null);
        assertArrayEquals(new double[] {1, 1, 0.1, 0.1, 0.01}, rates(LearningRateSchedule.of(settings), 5), 1e-15);
    }

    @Test
    void cosineStartsAtTheBaseRateAndHeadsToZeroOverTheEpochs() {
        TrainSettings settings = new TrainSettings(null, 1.0, null, null, null, ScheduleKind.COSINE, null, null,
                4, null, null, null, null);
        // (1 + cos(π·k/4)) / 2 for k = 0..3
        assertArrayEquals(new double[] {1, 0.8535533905932737, 0.5, 0.14644660940672627},
                rates(LearningRateSchedule.of(settings), 4), 1e-15);
    }

    private static double[] rates(LearningRateSchedule schedule, int epochs) {
        double[] r = new double[epochs];
        for (int e = 1; e <= epochs; e++) {
            r[e - 1] = schedule.learningRate(e);
        }
        return r;
    }
}
