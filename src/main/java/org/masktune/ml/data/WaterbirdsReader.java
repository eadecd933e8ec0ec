package org.masktune.ml.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads Waterbirds: {@code metadata.csv} whose header names at least {@code img_filename}, {@code y}
 * (0 landbird, 1 waterbird), {@code split} (0 train, 1 val, 2 test) and {@code place} (0 land,
 * 1 water), in any order, other columns ignored; images at the relative paths {@code img_filename}
 * gives. Group = 2·place + y. Splits "train", "val", "test" (empty ones left out).
 */
public final class WaterbirdsReader {

    static final String METADATA = "metadata.csv";
    static final List<String> REQUIRED_COLUMNS = List.of("img_filename", "y", "split", "place");
    public static final List<String> CLASSES = List.of("landbird", "waterbird");
    public static final List<String> GROUP_NAMES = List.of("landbird/land", "waterbird/land", "landbird/water", "waterbird/water");
    private static final String[] SPLIT_NAMES = {"train", "val", "test"};

    private WaterbirdsReader() {
    }

    public static LoadedDataset read(Path root, WaterbirdsOptions options) {
        return LoadedDataset.of("waterbirds", read(root, options, PixelSink.MEMORY));
    }

    /** Reads the splits, decoding their images into {@code sink}. */
    static Map<String, ImageSource> read(Path root, WaterbirdsOptions options, PixelSink sink) {
        DataFiles.requireDirectory(root, "Waterbirds dataset");
        Path metadata = root.resolve(METADATA);
        if (!Files.isRegularFile(metadata)) {
            throw new DatasetFormatException(METADATA, "not found in folder " + DatasetFormatException.displayName(root));
        }
        List<Csv.Row> rows = Csv.read(metadata);
        if (rows.isEmpty()) {
            throw new DatasetFormatException(METADATA, "is empty (expected a header with " + String.join(", ", REQUIRED_COLUMNS) + ")");
        }
        List<String> header = rows.get(0).fields();
        int[] col = new int[REQUIRED_COLUMNS.size()];
        for (int c = 0; c < col.length; c++) {
            col[c] = header.indexOf(REQUIRED_COLUMNS.get(c));
            if (col[c] < 0) {
                throw new DatasetFormatException(METADATA, "has no column '" + REQUIRED_COLUMNS.get(c) + "'; header: " + header
                        + "; required: " + REQUIRED_COLUMNS);
            }
        }

        List<List<String>> files = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<int[]>> yPlace = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Csv.Row row : rows.subList(1, rows.size())) {
            List<String> fields = row.fields();
            int line = row.line();
            if (fields.size() != header.size()) {
                throw new DatasetFormatException(METADATA, "line " + line + " has " + fields.size() + " fields, the header has " + header.size());
            }
            String file = checkRelative(fields.get(col[0]), line);
            int y = binary(fields.get(col[1]), "y", line, 1);
            int split = binary(fields.get(col[2]), "split", line, 2);
            int place = binary(fields.get(col[3]), "place", line, 1);
            files.get(split).add(file);
            yPlace.get(split).add(new int[] {y, place});
        }

        long expected = 0;
        for (int sp = 0; sp < 3; sp++) {
            int total = files.get(sp).size();
            expected += options.subsetSize() == null ? total : Math.min(total, options.subsetSize());
        }
        if (expected > 0) {
            sink.expect(expected);
        }
        Map<String, ImageSource> splits = new LinkedHashMap<>();
        for (int sp = 0; sp < 3; sp++) {
            int total = files.get(sp).size();
            if (total == 0) {
                continue;
            }
            int[] chosen = options.subsetSize() == null ? IntStream.range(0, total).toArray()
                    : Splits.subsetIndices(total, options.subsetSize(), options.seed());
            int[] labels = new int[chosen.length];
            int[] groups = new int[chosen.length];
            String[] names = new String[chosen.length];
            for (int k = 0; k < chosen.length; k++) {
                int[] yp = yPlace.get(sp).get(chosen[k]);
                labels[k] = yp[0];
                groups[k] = 2 * yp[1] + yp[0];
                names[k] = files.get(sp).get(chosen[k]);
            }
            int size = options.imageSize();
            PixelSink.PixelWriter writer = sink.open(SPLIT_NAMES[sp], 3, size, size, chosen.length);
            CelebAReader.decodeInto(root, "", names, size, false, writer);
            splits.put(SPLIT_NAMES[sp], writer.finish(labels, groups, CLASSES, GROUP_NAMES, null, List.of()));
        }
        if (splits.isEmpty()) {
            throw new DatasetFormatException(METADATA, "lists no images");
        }
        return splits;
    }

    private static int binary(String value, String column, int line, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DatasetFormatException(METADATA, "line " + line + ", column " + column + ": '" + value + "', expected an integer 0.." + max);
    }

    /** img_filename must be a relative path that stays inside the dataset folder. */
    private static String checkRelative(String file, int line) {
        String normal = file.replace('\\', '/');
        if (normal.isEmpty() || normal.startsWith("/") || normal.matches("^[A-Za-z]:.*")
                || List.of(normal.split("/")).contains("..")) {
            throw new DatasetFormatException(METADATA, "line " + line + ": img_filename '" + file
                    + "' must be a relative path inside the dataset folder");
        }
        return normal;
    }
}
