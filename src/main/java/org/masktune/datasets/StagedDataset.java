package org.masktune.datasets;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a dataset reaches a child JVM: the confined real folder it is read from and the decoded-cache folder,
 * passed as two job inputs; both null for a built-in, which the child reads from its classpath. Plain Java:
 * the service stages it, the child reads it back.
 */
public record StagedDataset(Path root, Path cacheDir) {

    static final String ROOT_INPUT = "dataset-root";
    static final String CACHE_INPUT = "dataset-cache";

    /** The job inputs that carry it. */
    public Map<String, String> inputs() {
        return root == null ? Map.of() : Map.of(ROOT_INPUT, root.toString(), CACHE_INPUT, cacheDir.toString());
    }

    /** Read back from a child's inputs. */
    public static StagedDataset from(Map<String, String> inputs) {
        String root = inputs.get(ROOT_INPUT);
        String cache = inputs.get(CACHE_INPUT);
        return new StagedDataset(root == null ? null : Path.of(root), cache == null ? null : Path.of(cache));
    }
}
