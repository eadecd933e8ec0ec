package org.masktune.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.train.InputNormalization;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;
import tools.jackson.databind.json.JsonMapper;

class TrainConfigTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The authors feed Biased MNIST with ToTensor() only; that is the default for the MNIST family here. */
    @Test
    void theMnistFamilyDefaultsToPixelOver255AndOtherFormatsToTheirOwnMeanAndStd() {
        assertEquals(InputNormalization.UNIT, read("{\"dataset\": \"biased-mnist\", \"model\": \"small-cnn\"}").inputNormalization());
        assertEquals(InputNormalization.UNIT,
                read("{\"dataset\": {\"format\": \"IDX\", \"path\": \"fashion\"}, \"model\": \"small-cnn\"}").inputNormalization());
        assertEquals(InputNormalization.DATASET_MEAN_STD,
                read("{\"dataset\": {\"format\": \"CIFAR10\", \"path\": \"cifar\"}, \"model\": \"resnet32\"}").inputNormalization());
        assertEquals(InputNormalization.DATASET_MEAN_STD, read("""
                {"dataset": "biased-mnist", "model": "small-cnn", "inputNormalization": "DATASET_MEAN_STD"}""").inputNormalization());
        assertEquals(InputNormalization.UNIT,
                new TrainConfig(DatasetSpec.folder(DatasetFormat.CELEBA, "celeba"), "small-cnn", null, InputNormalization.UNIT, null)
                        .inputNormalization());
        // the stored jsonb states the value that was used
        assertEquals("UNIT", JSON.readTree(JSON.writeValueAsString(read("{\"dataset\": \"biased-mnist\", \"model\": \"small-cnn\"}")))
                .path("inputNormalization").asString());
    }

    @Test
    void eachChoiceGivesTheNormalisationTheModelSpecStores() {
        // pixels 0 and 255 in equal numbers: mean 0.5, std 0.5
        ImageSet set = ImageSet.of(1, 2, 2, new byte[] {0, (byte) 255, 0, (byte) 255}, new int[] {0}, List.of("a"));
        Normalization unit = InputNormalization.UNIT.of(set);
        assertArrayEquals(new float[] {0f}, unit.mean());
        assertArrayEquals(new float[] {1f}, unit.std());
        Normalization standardised = InputNormalization.DATASET_MEAN_STD.of(set);
        assertArrayEquals(new float[] {0.5f}, standardised.mean(), 1e-6f);
        assertArrayEquals(new float[] {0.5f}, standardised.std(), 1e-6f);
        assertEquals(unit, ModelSpec.forData("small-cnn", set, unit).normalization());
    }

    private static TrainConfig read(String json) {
        return JSON.readValue(json, TrainConfig.class);
    }
}
