package org.masktune.ml.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset as read from disk or the classpath: its named splits ("train", "test", "val", ...), in
 * the order the reader produced them.
 */
public record LoadedDataset(String name, Map<String, ImageSet> splits) {

    public LoadedDataset {
        Objects.requireNonNull(name, "name");
        if (splits == null || splits.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has no splits");
        }
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    /** Splits a reader decoded into memory ({@link PixelSink#MEMORY}): each is an {@link ImageSet}. */
    static LoadedDataset of(String name, Map<String, ImageSource> splits) {
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        splits.forEach((k, v) -> sets.put(k, v.toImageSet()));
        return new LoadedDataset(name, sets);
    }

    /** The split called {@code splitName}; the exception lists the splits that exist. */
    public ImageSet split(String splitName) {
        ImageSet set = splits.get(splitName);
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

    /** The same dataset with {@code transform} applied to every split. */
    public LoadedDataset mapSplits(java.util.function.UnaryOperator<ImageSet> transform) {
        Map<String, ImageSet> out = new LinkedHashMap<>();
        splits.forEach((k, v) -> out.put(k, transform.apply(v)));
        return new LoadedDataset(name, out);
    }
}
