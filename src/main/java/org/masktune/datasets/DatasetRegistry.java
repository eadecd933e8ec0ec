package org.masktune.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.masktune.datasets.DatasetInfo.SplitInfo;
import org.masktune.ml.data.BuiltInDatasets;
import org.masktune.ml.data.ConfinedPaths;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetFormatException;
import org.masktune.ml.data.DatasetLoader;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.LoadedDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Datasets by name: the built-ins, described from the classpath, and user datasets registered with
 * a spec whose folder lies under a configured data root. Registering loads the dataset once, so a
 * bad folder is refused up front with the reader's message, and stores its summary and fingerprint;
 * registered datasets are never replaced.
 */
@Service
public class DatasetRegistry {

    /** Registry names: lower-case letters, digits and '-', 1–63 characters, not starting with '-'. */
    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9-]{0,62}";

    private static final Logger log = LoggerFactory.getLogger(DatasetRegistry.class);
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    private final DatasetRepository datasets;
    private final List<Path> roots;
    private final Path cacheDir;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, DatasetInfo> builtIns = new ConcurrentHashMap<>();
    /** Validation loads hold whole datasets in memory: one at a time. */
    private final ReentrantLock validation = new ReentrantLock();

    DatasetRegistry(DatasetRepository datasets, DatasetProperties properties, JsonMapper json, Clock clock) {
        this.datasets = datasets;
        this.roots = properties.roots();
        this.cacheDir = properties.cacheDir();
        this.json = json;
        this.clock = clock;
        List<Path> missing = roots.stream().filter(root -> !Files.isDirectory(root)).toList();
        if (!missing.isEmpty()) {
            log.warn("Dataset roots {} do not exist (yet); datasets can only be registered from folders under {}", missing, roots);
        }
    }

    /** The built-ins (in {@link BuiltInDatasets#names()} order), then the registered datasets by name. */
    public List<DatasetInfo> list() {
        List<DatasetInfo> all = new ArrayList<>();
        BuiltInDatasets.names().forEach(name -> all.add(builtIn(name)));
        datasets.findAllByOrderByNameAsc().forEach(row -> all.add(toInfo(row)));
        return all;
    }

    /** @throws DatasetNotFoundException when no built-in or registered dataset has this name */
    public DatasetInfo get(String name) {
        if (BuiltInDatasets.names().contains(name)) {
            return builtIn(name);
        }
        return datasets.findById(name).map(this::toInfo).orElseThrow(() -> notFound(name));
    }

    /**
     * Validates {@code spec} by loading it, then stores it with its summary under {@code name}.
     * A BUILTIN spec is allowed too (e.g. biased-mnist with other options under a name of its own).
     *
     * @throws DatasetAlreadyExistsException when the name is a built-in's or already registered
     * @throws InvalidDatasetSpecException   when the path escapes the data roots or is missing there,
     *                                       or the options do not fit the data
     * @throws DatasetFormatException        when a file of the dataset is missing, corrupt or truncated
     */
    public DatasetInfo register(String name, DatasetSpec spec) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("dataset name '" + name + "' must match " + NAME_PATTERN);
        }
        if (spec == null) {
            throw new IllegalArgumentException("a dataset spec is required");
        }
        if (BuiltInDatasets.names().contains(name)) {
            throw new DatasetAlreadyExistsException(name, "is reserved for a built-in dataset");
        }
        if (datasets.existsById(name)) {
            throw new DatasetAlreadyExistsException(name, "is already registered");
        }
        Map<String, SplitInfo> splits = summarize(spec);
        Dataset row = new Dataset(name, json.writeValueAsString(spec), splitsJson(splits), DatasetInfo.fingerprintOf(splits),
                clock.instant().truncatedTo(ChronoUnit.MICROS)); // PostgreSQL keeps microseconds
        try {
            datasets.saveAndFlush(row);
        } catch (DataIntegrityViolationException e) {
            if (datasets.existsById(name)) {
                throw new DatasetAlreadyExistsException(name, "was registered by a concurrent request");
            }
            throw e;
        }
        log.info("Registered dataset '{}' ({} {}): splits {}, fingerprint {}", name, spec.format(),
                spec.path() == null ? spec.name() : spec.path(), splits.keySet(), row.getFingerprint());
        return toInfo(row);
    }

    /**
     * The spec to load the dataset called {@code name} with: a registered dataset's stored spec, or
     * a built-in's default spec.
     *
     * @throws DatasetNotFoundException when no built-in or registered dataset has this name
     */
    public DatasetSpec resolve(String name) {
        if (BuiltInDatasets.names().contains(name)) {
            return DatasetSpec.builtIn(name);
        }
        return datasets.findById(name).map(row -> json.readValue(row.getSpec(), DatasetSpec.class)).orElseThrow(() -> notFound(name));
    }

    /**
     * The real, absolute folder {@code spec.path()} names inside a data root (symlinks followed), to
     * hand to {@link DatasetLoader#load(DatasetSpec, Path)}, e.g. in a child JVM; null for built-ins.
     *
     * @throws InvalidDatasetSpecException (field {@code path}) listing the allowed roots, when the path
     *                                     escapes them or does not exist in any
     */
    public Path resolveRoot(DatasetSpec spec) {
        if (spec.format() == DatasetFormat.BUILTIN) {
            return null;
        }
        try {
            return ConfinedPaths.resolve(roots, spec.path());
        } catch (IllegalArgumentException e) {
            throw new InvalidDatasetSpecException("path", e.getMessage());
        }
    }

    /** Loads {@code spec} from inside the data roots (see {@link #resolveRoot}). */
    public LoadedDataset load(DatasetSpec spec) {
        return DatasetLoader.load(spec, resolveRoot(spec));
    }

    /** The decoded-cache folder ({@code masktune.datasets.cache-dir}), absolute. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** The configured data roots, absolute and normalised. */
    public List<Path> roots() {
        return roots;
    }

    private DatasetInfo builtIn(String name) {
        return builtIns.computeIfAbsent(name, n -> {
            DatasetSpec spec = DatasetSpec.builtIn(n);
            Map<String, SplitInfo> splits = DatasetInfo.splitsOf(DatasetLoader.load(spec, (Path) null));
            return new DatasetInfo(n, true, spec, splits, DatasetInfo.fingerprintOf(splits), null);
        });
    }

    /** Loads the dataset once (one validation at a time) and keeps only its summary. */
    private Map<String, SplitInfo> summarize(DatasetSpec spec) {
        Path root = resolveRoot(spec);
        validation.lock();
        try {
            return DatasetInfo.splitsOf(DatasetLoader.load(spec, root));
        } catch (IllegalArgumentException e) {
            // the options do not fit the data, e.g. a Biased MNIST square outside the resized digits;
            // DatasetFormatException (a bad file) is not an IllegalArgumentException and passes through
            throw new InvalidDatasetSpecException(null, e.getMessage());
        } finally {
            validation.unlock();
        }
    }

    private DatasetNotFoundException notFound(String name) {
        return new DatasetNotFoundException(name, BuiltInDatasets.names());
    }

    /** Splits as a JSON array (jsonb does not keep object key order): each split's summary plus its name, first. */
    private String splitsJson(Map<String, SplitInfo> splits) {
        ArrayNode array = json.createArrayNode();
        splits.forEach((name, split) -> {
            ObjectNode entry = array.addObject();
            entry.put("name", name);
            entry.setAll((ObjectNode) json.valueToTree(split));
        });
        return json.writeValueAsString(array);
    }

    private DatasetInfo toInfo(Dataset row) {
        Map<String, SplitInfo> splits = new LinkedHashMap<>();
        for (JsonNode entry : json.readTree(row.getSplits())) {
            ObjectNode split = ((ObjectNode) entry).deepCopy();
            String name = split.remove("name").asString();
            splits.put(name, json.treeToValue(split, SplitInfo.class));
        }
        return new DatasetInfo(row.getName(), false, json.readValue(row.getSpec(), DatasetSpec.class), splits,
                row.getFingerprint(), row.getCreatedAt());
    }
}
