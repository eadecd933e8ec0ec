package org.masktune.ml.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads CelebA: {@code img_align_celeba/*.jpg}, the attributes as {@code list_attr_celeba.csv}
 * (Kaggle: header {@code image_id,<40 names>}, values -1/1) or {@code list_attr_celeba.txt}
 * (original: a count line, a names line, then {@code name v1 … v40} separated by whitespace), and
 * {@code list_eval_partition.csv|txt} (0 train, 1 val, 2 test). Splits "train", "val", "test"
 * (a split with no images is left out).
 * <p>
 * Label = target attribute is 1; group = 2·spurious + label, named e.g. "not-Blond_Hair/not-Male",
 * "Blond_Hair/not-Male", "not-Blond_Hair/Male", "Blond_Hair/Male". Images are RGB, centre-cropped
 * to a square (178×218 → 178×178, as group-DRO code does) and resized to imageSize (area averaging).
 */
public final class CelebAReader {

    static final String IMAGE_DIR = "img_align_celeba";
    private static final String[] SPLIT_NAMES = {"train", "val", "test"};

    private CelebAReader() {
    }

    /** The attribute table: image names in file order and the columns, by name. */
    private record AttributeTable(String file, List<String> names, List<String> imageIds, List<byte[]> rows) {

        int column(String attribute) {
            int c = names.indexOf(attribute);
            if (c < 0) {
                throw new DatasetFormatException(file, "has no attribute column '" + attribute + "'; available: " + String.join(", ", names));
            }
            return c;
        }
    }

    public static LoadedDataset read(Path root, CelebAOptions options) {
        return LoadedDataset.of("celeba", read(root, options, PixelSink.MEMORY));
    }

    /** Reads the splits, decoding their images into {@code sink}. */
    static Map<String, ImageSource> read(Path root, CelebAOptions options, PixelSink sink) {
        DataFiles.requireDirectory(root, "CelebA dataset");
        AttributeTable table = readAttributes(root);
        int target = table.column(options.targetAttribute());
        int spurious = table.column(options.spuriousAttribute());
        int[] multi = options.attributes().stream().mapToInt(table::column).toArray();
        Map<String, Integer> partition = readPartition(root);

        List<List<Integer>> rowsBySplit = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < table.imageIds().size(); r++) {
            String id = table.imageIds().get(r);
            Integer split = partition.get(id);
            if (split == null) {
                throw new DatasetFormatException(partitionFileName(root), "has no entry for " + id + " (listed in " + table.file() + ")");
            }
            rowsBySplit.get(split).add(r);
        }

        String t = options.targetAttribute();
        String s = options.spuriousAttribute();
        List<String> classes = List.of("not-" + t, t);
        List<String> groupNames = List.of("not-" + t + "/not-" + s, t + "/not-" + s, "not-" + t + "/" + s, t + "/" + s);
        int[][] chosenBySplit = new int[3][];
        long total = 0;
        for (int sp = 0; sp < 3; sp++) {
            int rows = rowsBySplit.get(sp).size();
            chosenBySplit[sp] = options.subsetSize() == null ? IntStream.range(0, rows).toArray()
                    : Splits.subsetIndices(rows, options.subsetSize(), options.seed());
            total += chosenBySplit[sp].length;
        }
        if (total == 0) {
            throw new DatasetFormatException(table.file(), "lists no images");
        }
        sink.expect(total);
        Map<String, ImageSource> splits = new LinkedHashMap<>();
        for (int sp = 0; sp < 3; sp++) {
            List<Integer> rows = rowsBySplit.get(sp);
            if (rows.isEmpty()) {
                continue;
            }
            int[] chosen = chosenBySplit[sp];
            int n = chosen.length;
            int[] labels = new int[n];
            int[] groups = new int[n];
            byte[] attrs = multi.length == 0 ? null : new byte[n * multi.length];
            String[] files = new String[n];
            for (int k = 0; k < n; k++) {
                int r = rows.get(chosen[k]);
                byte[] row = table.rows().get(r);
                labels[k] = row[target];
                groups[k] = 2 * row[spurious] + labels[k];
                for (int a = 0; a < multi.length; a++) {
                    attrs[k * multi.length + a] = row[multi[a]];
                }
                files[k] = table.imageIds().get(r);
            }
            int size = options.imageSize();
            PixelSink.PixelWriter writer = sink.open(SPLIT_NAMES[sp], 3, size, size, n);
            decodeInto(root.resolve(IMAGE_DIR), IMAGE_DIR + "/", files, size, true, writer);
            splits.put(SPLIT_NAMES[sp], writer.finish(labels, groups, classes, groupNames, attrs,
                    multi.length == 0 ? List.of() : options.attributes()));
        }
        return splits;
    }

    /**
     * Decodes {@code files} (names relative to {@code dir}) into RGB images of side {@code size}, in
     * parallel; optionally centre-cropped to a square first.
     */
    static byte[] decodeAll(Path dir, String displayPrefix, String[] files, int size, boolean cropSquare) {
        PixelSink.PixelWriter writer = PixelSink.MEMORY.open("all", 3, size, size, files.length);
        decodeInto(dir, displayPrefix, files, size, cropSquare, writer);
        return ((ImageSet) writer.finish(new int[files.length], null, List.of(), List.of(), null, List.of())).pixels();
    }

    /**
     * Decodes {@code files} into {@code writer} in parallel (image k = file k). When files fail, the
     * exception of the first failing file in list order is thrown, naming it.
     */
    static void decodeInto(Path dir, String displayPrefix, String[] files, int size, boolean cropSquare, PixelSink.PixelWriter writer) {
        ParallelDecode.forEach(files.length, k -> {
            ImageDecoding.Decoded d = ImageDecoding.read(dir.resolve(files[k]), displayPrefix + files[k]);
            if (cropSquare) {
                d = d.centerCroppedSquare();
            }
            d = d.resized(size, size).toRgb();
            writer.put(k, d.chw(), 0);
        });
    }

    private static AttributeTable readAttributes(Path root) {
        Path csv = root.resolve("list_attr_celeba.csv");
        Path txt = root.resolve("list_attr_celeba.txt");
        if (Files.isRegularFile(csv)) {
            return parseCsvAttributes(csv);
        }
        if (Files.isRegularFile(txt)) {
            return parseTxtAttributes(txt, lines(txt));
        }
        throw new DatasetFormatException("list_attr_celeba.csv", "not found (nor list_attr_celeba.txt) in folder "
                + DatasetFormatException.displayName(root));
    }

    /** The CSV layout: a header {@code image_id,<attribute names>}, then one record per image. */
    private static AttributeTable parseCsvAttributes(Path path) {
        String file = DatasetFormatException.displayName(path);
        List<Csv.Row> rows = Csv.read(path);
        if (rows.isEmpty()) {
            throw new DatasetFormatException(file, "is empty (expected a header image_id,<attribute names>)");
        }
        List<String> header = rows.get(0).fields();
        return attributes(file, header.subList(1, header.size()), rows.subList(1, rows.size()), -1);
    }

    /** The original whitespace layout: an image count, the attribute names, then one line per image. */
    private static AttributeTable parseTxtAttributes(Path path, List<String> lines) {
        String file = DatasetFormatException.displayName(path);
        if (lines.size() < 2) {
            throw new DatasetFormatException(file, "needs a count line and an attribute-names line, has " + lines.size() + " lines");
        }
        int announced;
        try {
            announced = Integer.parseInt(Csv.stripBom(lines.get(0)).strip());
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(file, "line 1 should be the image count, found '" + lines.get(0).strip() + "'");
        }
        List<String> names = Arrays.asList(lines.get(1).strip().split("\\s+"));
        return attributes(file, names, whitespaceRows(lines, 2), announced);
    }

    /** Lines from {@code first} (0-based) split on white space, blank lines skipped. */
    private static List<Csv.Row> whitespaceRows(List<String> lines, int first) {
        List<Csv.Row> rows = new ArrayList<>();
        for (int l = first; l < lines.size(); l++) {
            String line = lines.get(l).strip();
            if (!line.isEmpty()) {
                rows.add(new Csv.Row(l + 1, Arrays.asList(line.split("\\s+"))));
            }
        }
        return rows;
    }

    private static AttributeTable attributes(String file, List<String> names, List<Csv.Row> rows, int announced) {
        if (names.isEmpty() || names.get(0).isEmpty()) {
            throw new DatasetFormatException(file, "names no attributes");
        }
        List<String> ids = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (Csv.Row r : rows) {
            List<String> fields = r.fields();
            if (fields.size() != names.size() + 1) {
                throw new DatasetFormatException(file, "line " + r.line() + " has " + (fields.size() - 1) + " attribute values, expected "
                        + names.size());
            }
            String id = checkImageName(file, r.line(), fields.get(0));
            byte[] row = new byte[names.size()];
            for (int a = 0; a < row.length; a++) {
                String v = fields.get(a + 1);
                // -1/1 in both official layouts; 0 is also read as "absent" for 0/1 re-exports.
                if (v.equals("1")) {
                    row[a] = 1;
                } else if (!v.equals("-1") && !v.equals("0")) {
                    throw new DatasetFormatException(file, "line " + r.line() + ", attribute " + names.get(a) + ": value '" + v + "', expected -1 or 1 (or 0)");
                }
            }
            ids.add(id);
            values.add(row);
        }
        if (announced >= 0 && announced != ids.size()) {
            throw new DatasetFormatException(file, "line 1 announces " + announced + " images but " + ids.size() + " rows follow");
        }
        return new AttributeTable(file, List.copyOf(names), ids, values);
    }

    private static Map<String, Integer> readPartition(Path root) {
        Path path = root.resolve("list_eval_partition.csv");
        boolean csv = true;
        if (!Files.isRegularFile(path)) {
            path = root.resolve("list_eval_partition.txt");
            csv = false;
        }
        if (!Files.isRegularFile(path)) {
            throw new DatasetFormatException("list_eval_partition.csv", "not found (nor list_eval_partition.txt) in folder "
                    + DatasetFormatException.displayName(root));
        }
        String file = DatasetFormatException.displayName(path);
        List<Csv.Row> rows;
        if (csv) {
            rows = Csv.read(path);
            rows = rows.isEmpty() ? rows : rows.subList(1, rows.size()); // the header
        } else {
            rows = whitespaceRows(lines(path), 0);
        }
        Map<String, Integer> partition = new HashMap<>();
        for (Csv.Row r : rows) {
            List<String> fields = r.fields();
            if (fields.size() != 2 || !(fields.get(1).equals("0") || fields.get(1).equals("1") || fields.get(1).equals("2"))) {
                throw new DatasetFormatException(file, "line " + r.line() + " should be '<image> <0|1|2>', found '"
                        + String.join(csv ? "," : " ", fields) + "'");
            }
            partition.put(fields.get(0), Integer.parseInt(fields.get(1)));
        }
        return partition;
    }

    private static String partitionFileName(Path root) {
        return Files.isRegularFile(root.resolve("list_eval_partition.csv")) ? "list_eval_partition.csv" : "list_eval_partition.txt";
    }

    /** Image names must stay inside img_align_celeba. */
    private static String checkImageName(String file, int line, String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
            throw new DatasetFormatException(file, "line " + line + ": '" + name + "' is not a plain image file name");
        }
        return name;
    }

    static List<String> lines(Path file) {
        return DataFiles.readLines(file, DataFiles.MAX_TEXT_BYTES);
    }
}
