package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TrainSettingsTest {

    @Test
    void missingFieldsTakeThePaperDefaults() {
        TrainSettings s = TrainSettings.defaults();
        assertEquals(OptimizerKind.SGD, s.optimizer());
        assertEquals(0.01, s.learningRate());
        assertEquals(0.9, s.momentum());
        assertEquals(1e-4, s.weightDecay());
        assertFalse(s.nesterov());
        assertEquals(ScheduleKind.CONSTANT, s.schedule());
        assertEquals(List.of(), s.milestones());
        assertEquals(0.1, s.gamma());
        assertEquals(5, s.epochs());
        assertEquals(128, s.batchSize());
        assertEquals(0.1, s.validationFraction());
        assertEquals(42L, s.seed());
        assertTrue(s.augmentation().isNone());
    }

    @Test
    void jsonWithSomeFieldsKeepsThemAndDefaultsTheRest() {
        TrainSettings s = JsonMapper.builder().build().readValue(
                "{\"optimizer\":\"ADAM\",\"epochs\":3,\"augmentation\":{\"horizontalFlip\":true}}", TrainSettings.class);
        assertEquals(OptimizerKind.ADAM, s.optimizer());
        assertEquals(3, s.epochs());
        assertEquals(128, s.batchSize());
        assertTrue(s.augmentation().horizontalFlip());
        assertEquals(0, s.augmentation().randomCropPadding());
    }

    @Test
    void nonsenseIsRejectedNamingTheField() {
        assertEquals("epochs must be in 1..1000, got 0", assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.defaults().withEpochs(0)).getMessage());
        assertEquals("batchSize must be in 1..4096, got 5000", assertThrows(IllegalArgumentException.class,
                () -> new TrainSettings(null, null, null, null, null, null, null, null, null, 5000, null, null, null)).getMessage());
        assertEquals("nesterov needs momentum > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new TrainSettings(null, null, 0.0, null, true, null, null, null, null, null, null, null, null)).getMessage());
        assertEquals("MULTI_STEP needs milestones, got []", assertThrows(IllegalArgumentException.class,
                () -> new TrainSettings(null, null, null, null, null, ScheduleKind.MULTI_STEP, null, null, null, null, null, null, null)).getMessage());
        assertEquals("milestones must be positive and strictly increasing, got [3, 3]", assertThrows(IllegalArgumentException.class,
                () -> new TrainSettings(null, null, null, null, null, ScheduleKind.MULTI_STEP, List.of(3, 3), null, null, null, null, null, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Augmentation.ScaleRange(0.5, 0.2));
    }
}
