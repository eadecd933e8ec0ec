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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jakarta.annotation.PreDestroy;
import org.masktune.ml.data.DatasetCache;
import org.masktune.ml.data.DatasetSource;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
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
 * a spec whose folder lies under a configured data root. Registering checks the name and the path,
 * stores the dataset as PREPARING and answers; one background thread then decodes the folder into the
 * decoded cache ({@link DatasetCache}), recording its progress on the row, and stores the summary and
 * fingerprint (READY) or the unreadable file and why (FAILED). A FAILED registration may be replaced by
 * registering the name again; others are never replaced. Preparations interrupted by a shutdown are
 * resumed at the next start.
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
    private static final long PROGRESS_INTERVAL_NANOS = 300_000_000L;
    /** Preparations decode on all cores already: one at a time. */
    private final ExecutorService preparation = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dataset-preparation");
        t.setDaemon(true);
        return t;
    });

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
     * Registers {@code spec} under {@code name} as PREPARING and starts decoding it in the background;
     * answers at once. A BUILTIN spec is allowed too (e.g. biased-mnist with other options under a
     * name of its own).
     *
     * @throws DatasetAlreadyExistsException when the name is a built-in's or already registered (and not FAILED)
     * @throws InvalidDatasetSpecException   when the path escapes the data roots or is missing there
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
        Path root = resolveRoot(spec);
        if (root != null && !Files.isDirectory(root)) {
            throw new InvalidDatasetSpecException("path", "'" + spec.path() + "' is not a folder");
        }
        datasets.findById(name).ifPresent(existing -> {
            if (existing.getStatus() != DatasetStatus.FAILED) {
                throw new DatasetAlreadyExistsException(name, "is already registered");
            }
            datasets.delete(existing); // a failed registration may be tried again
            datasets.flush();
        });
        Dataset row = new Dataset(name, json.writeValueAsString(spec), clock.instant().truncatedTo(ChronoUnit.MICROS)); // PostgreSQL keeps microseconds
        try {
            datasets.saveAndFlush(row);
        } catch (DataIntegrityViolationException e) {
            if (datasets.existsById(name)) {
                throw new DatasetAlreadyExistsException(name, "was registered by a concurrent request");
            }
            throw e;
        }
        log.info("Registered dataset '{}' ({} {}); preparing it", name, spec.format(), spec.path() == null ? spec.name() : spec.path());
        preparation.execute(() -> prepare(name));
        return toInfo(row);
    }

    /** Resumes the preparations a shutdown interrupted. */
    @EventListener(ApplicationReadyEvent.class)
    void resumePreparations() {
        for (Dataset row : datasets.findByStatus(DatasetStatus.PREPARING.name())) {
            log.info("Resuming the preparation of dataset '{}'", row.getName());
            preparation.execute(() -> prepare(row.getName()));
        }
    }

    @PreDestroy
    void stop() {
        preparation.shutdownNow();
    }

    /** Decodes the dataset into the cache (or finds it there), then stores READY with its summary, or FAILED naming the file. */
    void prepare(String name) {
        Dataset row = datasets.findById(name).orElse(null);
        if (row == null || row.getStatus() != DatasetStatus.PREPARING) {
            return;
        }
        DatasetSpec spec = json.readValue(row.getSpec(), DatasetSpec.class);
        try {
            Path root = resolveRoot(spec);
            long[] last = {0};
            DatasetSource source = DatasetCache.open(spec, root, cacheDir, (done, total) -> {
                long now = System.nanoTime();
                synchronized (last) {
                    if (now - last[0] < PROGRESS_INTERVAL_NANOS && done < total) {
                        return;
                    }
                    last[0] = now;
                }
                datasets.progress(name, done, total, clock.instant());
            }).dataset();
            Map<String, SplitInfo> splits = DatasetInfo.splitsOf(source);
            Dataset current = datasets.findById(name).orElseThrow();
            current.ready(splitsJson(splits), DatasetInfo.fingerprintOf(splits), clock.instant());
            datasets.saveAndFlush(current);
            log.info("Dataset '{}' is ready: splits {}, fingerprint {}", name, splits.keySet(), current.getFingerprint());
        } catch (DatasetFormatException e) {
            String file = spec.path() == null ? e.file() : spec.path().replaceAll("/+$", "") + "/" + e.file();
            fail(name, file, e.getMessage());
        } catch (InvalidDatasetSpecException | IllegalArgumentException e) {
            // the options do not fit the data, e.g. a Biased MNIST square outside the resized digits
            fail(name, null, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Preparing dataset '{}' failed", name, e);
            fail(name, null, e.toString());
        }
    }

    private void fail(String name, String file, String message) {
        datasets.findById(name).ifPresent(current -> {
            current.failed(file, message, clock.instant());
            datasets.saveAndFlush(current);
        });
        log.warn("Dataset '{}' cannot be read: {}", name, message);
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

    /** The dataset's folder must resolve inside a data root now, not only when a worker gets to it; {@code field} names it in the 400. */
    public void check(DatasetSpec spec, String field) {
        try {
            resolveRoot(spec);
        } catch (InvalidDatasetSpecException e) {
            throw new org.masktune.jobs.InvalidJobConfigException(e.field(field), e.getMessage());
        }
    }

    /** What a child needs to read {@code spec}: its confined folder and the decoded-cache folder (nothing for built-ins). */
    public StagedDataset stage(DatasetSpec spec) {
        Path root = resolveRoot(spec);
        return new StagedDataset(root, root == null ? null : cacheDir);
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
            return DatasetInfo.ready(n, true, spec, splits, DatasetInfo.fingerprintOf(splits), null);
        });
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
        Map<String, SplitInfo> splits = null;
        if (row.getSplits() != null) {
            splits = new LinkedHashMap<>();
            for (JsonNode entry : json.readTree(row.getSplits())) {
                ObjectNode split = ((ObjectNode) entry).deepCopy();
                String name = split.remove("name").asString();
                splits.put(name, json.treeToValue(split, SplitInfo.class));
            }
        }
        DatasetInfo.Error error = row.getStatus() == DatasetStatus.FAILED ? new DatasetInfo.Error(row.getErrorFile(), row.getErrorMessage()) : null;
        return new DatasetInfo(row.getName(), false, json.readValue(row.getSpec(), DatasetSpec.class), splits, row.getFingerprint(),
                row.getCreatedAt(), row.getStatus(), new DatasetInfo.Progress(row.getImagesDone(), row.getImagesTotal()), error);
    }
}
