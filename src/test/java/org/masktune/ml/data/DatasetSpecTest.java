package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetSpecTest {

    private static String rejected(DatasetFormat format, String name, String path, Integer size, String target, List<String> attrs,
                                   BiasedMnistOptions biased, Integer subset) {
        return assertThrows(IllegalArgumentException.class,
                () -> new DatasetSpec(format, name, path, size, target, null, attrs, biased, subset, null)).getMessage();
    }

    @Test
    void defaultsAreFilledInPerFormat() {
        DatasetSpec celeba = DatasetSpec.folder(DatasetFormat.CELEBA, "celeba");
        assertEquals("Blond_Hair", celeba.targetAttribute());
        assertEquals("Male", celeba.spuriousAttribute());
        assertEquals(64, celeba.imageSize());
        assertEquals(List.of(), celeba.attributes());
        assertEquals(0L, celeba.seed());

        assertEquals(64, DatasetSpec.folder(DatasetFormat.WATERBIRDS, "wb").imageSize());
        assertNull(DatasetSpec.folder(DatasetFormat.IDX, "mnist").imageSize());
        assertEquals(BiasedMnistOptions.defaults(), DatasetSpec.builtIn("biased-mnist").biasedMnist());
        assertNull(DatasetSpec.builtIn("mnist-10k").biasedMnist());
    }

    @Test
    void nonsenseIsRejectedWithMessagesThatNameTheField() {
        assertEquals("format is required, one of [BUILTIN, IDX, CIFAR10, IMAGE_FOLDER, CELEBA, WATERBIRDS]",
                rejected(null, null, "x", null, null, null, null, null));
        assertEquals("format BUILTIN needs name, one of [mnist-10k, biased-mnist]; got cifar",
                rejected(DatasetFormat.BUILTIN, "cifar", null, null, null, null, null, null));
        assertEquals("path is not used for format BUILTIN; give only name",
                rejected(DatasetFormat.BUILTIN, "mnist-10k", "x", null, null, null, null, null));
        assertEquals("format IDX needs path, a folder relative to a data root",
                rejected(DatasetFormat.IDX, null, " ", null, null, null, null, null));
        assertEquals("name is only for format BUILTIN; format CIFAR10 is read from path",
                rejected(DatasetFormat.CIFAR10, "c", "c", null, null, null, null, null));
        assertEquals("targetAttribute, spuriousAttribute and attributes apply only to format CELEBA, not WATERBIRDS",
                rejected(DatasetFormat.WATERBIRDS, null, "wb", null, "Smiling", null, null, null));
        assertEquals("targetAttribute and spuriousAttribute must differ, both are Male",
                rejected(DatasetFormat.CELEBA, null, "c", null, "Male", null, null, null));
        assertEquals("biasedMnist applies only to the built-in biased-mnist and to format IDX (MNIST digit files), not the built-in mnist-10k",
                rejected(DatasetFormat.BUILTIN, "mnist-10k", null, null, null, null, BiasedMnistOptions.defaults(), null));
        assertEquals("biasedMnist applies only to the built-in biased-mnist and to format IDX (MNIST digit files), not format CIFAR10",
                rejected(DatasetFormat.CIFAR10, null, "cifar", null, null, null, BiasedMnistOptions.defaults(), null));
        assertEquals("imageSize must be 1..1024, got 0", rejected(DatasetFormat.IDX, null, "m", 0, null, null, null, null));
        assertEquals("subsetSize must be at least 1, got 0", rejected(DatasetFormat.IDX, null, "m", null, null, null, null, 0));
    }

    @Test
    void idxTakesBiasedMnistOptionsAndStaysPlainWithout() {
        var json = tools.jackson.databind.json.JsonMapper.builder().build();

        DatasetSpec biased = json.readValue("{\"format\":\"IDX\",\"path\":\"mnist\",\"biasedMnist\":{\"trainConflictRatio\":0.0}}",
                DatasetSpec.class);

        assertEquals(BiasedMnistOptions.defaults().withTrainConflictRatio(0.0), biased.biasedMnist());
        assertEquals(biased, json.readValue(json.writeValueAsString(biased), DatasetSpec.class));
        // no defaults filled in for IDX: without the field it is plain MNIST
        assertNull(DatasetSpec.folder(DatasetFormat.IDX, "mnist").biasedMnist());
        var bad = assertThrows(Exception.class, () -> json.readValue(
                "{\"format\":\"WATERBIRDS\",\"path\":\"wb\",\"biasedMnist\":{}}", DatasetSpec.class));
        assertEquals(true, String.valueOf(bad.getMessage()).contains("biasedMnist applies only to the built-in biased-mnist and to format IDX"),
                bad.getMessage());
    }

    @Test
    void jsonWithMissingFieldsTakesTheDefaultsAndRoundTrips() {
        var json = tools.jackson.databind.json.JsonMapper.builder().build();

        DatasetSpec spec = json.readValue("{\"format\":\"BUILTIN\",\"name\":\"biased-mnist\",\"biasedMnist\":{\"trainConflictRatio\":0.0}}",
                DatasetSpec.class);

        assertEquals(BiasedMnistOptions.defaults().withTrainConflictRatio(0.0), spec.biasedMnist());
        assertEquals(0L, spec.seed());
        assertEquals(spec, json.readValue(json.writeValueAsString(spec), DatasetSpec.class));
        var bad = assertThrows(Exception.class,
                () -> json.readValue("{\"format\":\"IDX\",\"path\":\"m\",\"imageSize\":0}", DatasetSpec.class));
        assertEquals(true, String.valueOf(bad.getMessage()).contains("imageSize must be 1..1024, got 0"), bad.getMessage());
    }
}
