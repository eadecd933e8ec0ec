package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadedDatasetTest {

    @Test
    void unknownSplitListsTheAvailableOnesInOrder() {
        ImageSet one = ImageSet.of(1, 1, 1, new byte[] {1}, new int[] {0}, List.of("a"));
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        splits.put("train", one);
        splits.put("val", one);
        splits.put("test", one);
        LoadedDataset ds = new LoadedDataset("d", splits);

        assertEquals(List.of("train", "val", "test"), ds.splitNames());
        var e = assertThrows(IllegalArgumentException.class, () -> ds.split("validation"));
        assertEquals("dataset 'd' has no split 'validation'; available splits: train, val, test", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LoadedDataset("empty", Map.of()));
    }
}
