package org.masktune.datasets;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where user datasets may live.
 *
 * @param roots the only folders a dataset's {@code path} may point into (relative paths are looked up
 *              under each in order); kept as absolute, normalised paths so error messages and child
 *              JVMs see the same folders whatever the working directory
 * @param cacheDir where each folder dataset is decoded once (per spec options) for jobs to read memory-mapped
 */
@ConfigurationProperties("masktune.datasets")
public record DatasetProperties(@DefaultValue("./data/datasets") List<Path> roots, @DefaultValue("./data/cache") Path cacheDir) {

    public DatasetProperties {
        if (roots == null || roots.isEmpty()) {
            throw new IllegalArgumentException("masktune.datasets.roots must name at least one folder");
        }
        roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
        cacheDir = (cacheDir == null ? Path.of("./data/cache") : cacheDir).toAbsolutePath().normalize();
    }
}
