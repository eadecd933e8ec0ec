package org.masktune.datasets;

import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.masktune.ml.data.DatasetFingerprint;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.DatasetSource;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.data.LoadedDataset;

/**
 * A dataset as clients see it: how to load it (the spec) and what loading it gave.
 *
 * @param name        registry name, or the built-in's name
 * @param builtIn     true for the datasets shipped with the service
 * @param spec        the spec jobs load it with (defaults filled in)
 * @param splits      per split, in the reader's order
 * @param fingerprint SHA-256 over all splits: of the UTF-8 text made of one line
 *                    {@code <split name>=<split fingerprint>\n} per split, in order, where a split's
 *                    fingerprint is {@link DatasetFingerprint#sha256(ImageSet)}
 * @param createdAt   when it was registered; null for built-ins
 * @param status      PREPARING while the folder is decoded into the cache, READY once splits and
 *                    fingerprint are known, FAILED when it cannot be read (see {@code error})
 * @param progress    images decoded so far and in all (total null until the files are listed)
 * @param error       FAILED only: the unreadable file relative to the data root (null when no single
 *                    file is at fault) and the reader's message
 */
@Schema(description = "A dataset: its spec and what loading it gave, split by split")
public record DatasetInfo(
        @Schema(example = "my-mnist") String name,
        @Schema(description = "Shipped with the service (cannot be replaced)") boolean builtIn,
        DatasetSpec spec,
        @Schema(description = "Per split, in the reader's order") Map<String, SplitInfo> splits,
        @Schema(description = "SHA-256 over all splits: of the lines '<split>=<split fingerprint>\\n' in split order")
        String fingerprint,
        @Schema(description = "When it was registered; absent for built-ins") Instant createdAt,
        @Schema(description = "PREPARING while the data is decoded into the cache, READY when splits and fingerprint are known,"
                + " FAILED when it cannot be read") DatasetStatus status,
        @Schema(description = "Images decoded so far and in all") Progress progress,
        @Schema(description = "Why it FAILED; absent otherwise") Error error) {

    /** A dataset that has been read: READY, with every image counted. */
    static DatasetInfo ready(String name, boolean builtIn, DatasetSpec spec, Map<String, SplitInfo> splits, String fingerprint,
            Instant createdAt) {
        long images = splits.values().stream().mapToLong(SplitInfo::count).sum();
        return new DatasetInfo(name, builtIn, spec, splits, fingerprint, createdAt, DatasetStatus.READY, new Progress(images, images), null);
    }

    @Schema(description = "Decoding progress")
    public record Progress(@Schema(example = "1200") long imagesDone, @Schema(example = "40000") Long imagesTotal) {
    }

    @Schema(description = "What made the preparation fail")
    public record Error(
            @Schema(description = "The unreadable file, relative to the data root", example = "celeba/img_align_celeba/000042.jpg") String file,
            @Schema(example = "img_align_celeba/000042.jpg: cannot be decoded as an image") String message) {
    }

    /**
     * One split.
     *
     * @param groups      group names and sizes (index = group id), or null when the split has no groups
     * @param attributes  multi-label attribute names (CelebA with attributes), else empty
     * @param fingerprint {@link DatasetFingerprint#sha256(ImageSet)} of the split
     */
    @Schema(description = "One split of a dataset")
    public record SplitInfo(
            @Schema(example = "8000") int count,
            @Schema(description = "Class names, index = label") List<String> classes,
            @Schema(example = "1") int channels,
            @Schema(example = "28") int height,
            @Schema(example = "28") int width,
            @Schema(description = "Groups in id order with their sizes; null when the split has no group annotation")
            List<GroupCount> groups,
            @Schema(description = "Multi-label attribute names; empty for single-label data") List<String> attributes,
            @Schema(description = "SHA-256 of the split's shape, pixels, labels, groups and attributes") String fingerprint) {

        public static SplitInfo of(ImageSource set) {
            List<GroupCount> groups = null;
            if (set.hasGroups()) {
                int[] counts = new int[set.groupNames().size()];
                for (int g : set.groups()) {
                    counts[g]++;
                }
                groups = new ArrayList<>();
                for (int g = 0; g < counts.length; g++) {
                    groups.add(new GroupCount(set.groupNames().get(g), counts[g]));
                }
            }
            return new SplitInfo(set.size(), set.classes(), set.channels(), set.height(), set.width(), groups,
                    set.attributeNames(), DatasetFingerprint.sha256(set));
        }
    }

    @Schema(description = "A group and how many images of the split are in it")
    public record GroupCount(@Schema(example = "class0/square") String name, @Schema(example = "3960") int count) {
    }

    /** The splits of a loaded dataset, in order. */
    static Map<String, SplitInfo> splitsOf(LoadedDataset dataset) {
        Map<String, SplitInfo> splits = new LinkedHashMap<>();
        dataset.splits().forEach((name, set) -> splits.put(name, SplitInfo.of(set)));
        return splits;
    }

    /** The splits of a dataset read from the cache (fingerprints read the pixels once), in order. */
    static Map<String, SplitInfo> splitsOf(DatasetSource dataset) {
        Map<String, SplitInfo> splits = new LinkedHashMap<>();
        dataset.splits().forEach((name, set) -> splits.put(name, SplitInfo.of(set)));
        return splits;
    }

    /** The dataset fingerprint described on {@link DatasetInfo#fingerprint()}. */
    static String fingerprintOf(Map<String, SplitInfo> splits) {
        StringBuilder lines = new StringBuilder();
        splits.forEach((name, split) -> lines.append(name).append('=').append(split.fingerprint()).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(lines.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
