package org.masktune.ml.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset's named splits as {@link ImageSource}s: in memory (built-ins, tests) or memory-mapped
 * from the decoded cache ({@link DatasetCache}).
 */
public record DatasetSource(String name, Map<String, ImageSource> splits) {

    public DatasetSource {
        Objects.requireNonNull(name, "name");
        if (splits == null || splits.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has no splits");
        }
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    /** A loaded (in-memory) dataset as sources. */
    public static DatasetSource of(LoadedDataset dataset) {
        return new DatasetSource(dataset.name(), new LinkedHashMap<>(dataset.splits()));
    }

    /** The split called {@code splitName}; the exception lists the splits that exist. */
    public ImageSource split(String splitName) {
        ImageSource set = splits.get(splitName);
        if (set == null) {
            throw new IllegalArgumentException("dataset '" + name + "' has no split '" + splitName
                    + "'; available splits: " + String.join(", ", splits.keySet()));
        }
        return set;
    }

    public boolean hasSplit(String splitName) {
        return splits.containsKey(splitName);
    }

    public List<String> splitNames() {
        return List.copyOf(splits.keySet());
    }

    /** Every split in one Java array each (see {@link ImageSource#toImageSet()}). */
    public LoadedDataset toLoadedDataset() {
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        splits.forEach((k, v) -> sets.put(k, v.toImageSet()));
        return new LoadedDataset(name, sets);
    }
}
