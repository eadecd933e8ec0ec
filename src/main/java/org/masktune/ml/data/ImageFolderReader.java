package org.masktune.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Reads {@code root/<class>/*.png|jpg|jpeg} (one split, "train"), or, when {@code root} holds
 * {@code train/}, {@code test/} and/or {@code val/} folders, {@code root/<split>/<class>/*} (those
 * splits). Classes are the folder names sorted (the union over splits, so labels agree between
 * splits); files are read in name order; other files and hidden entries are ignored.
 * <p>
 * Size: with {@code imageSize} each image is resized to imageSize×imageSize (aspect not kept; area
 * averaging to shrink, bilinear to enlarge, see {@link ImageResizer}); without, all images must
 * share one size. Channels: 1 when every image is grey, else 3 (grey images copied to R, G, B).
 */
public final class ImageFolderReader {

    static final List<String> SPLIT_FOLDERS = List.of("train", "val", "test");

    private ImageFolderReader() {
    }

    /**
     * @param imageSize side to resize every image to, or null to keep the images' own (common) size
     */
    public static LoadedDataset read(Path root, Integer imageSize) {
        return LoadedDataset.of(name(root), read(root, imageSize, PixelSink.MEMORY));
    }

    /** Reads the splits, decoding their images into {@code sink}. */
    static Map<String, ImageSource> read(Path root, Integer imageSize, PixelSink sink) {
        DataFiles.requireDirectory(root, "image folder dataset");
        if (imageSize != null && imageSize <= 0) {
            throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
        }
        List<Path> top = subfolders(root);
        List<Path> splitDirs = top.stream().filter(p -> SPLIT_FOLDERS.contains(name(p))).toList();
        Map<String, Path> splitRoots = new LinkedHashMap<>();
        if (splitDirs.isEmpty()) {
            splitRoots.put("train", root);
        } else {
            List<String> others = top.stream().map(ImageFolderReader::name).filter(n -> !SPLIT_FOLDERS.contains(n)).toList();
            if (!others.isEmpty()) {
                throw new DatasetFormatException(name(root), "mixes split folders " + splitDirs.stream().map(ImageFolderReader::name).toList()
                        + " with other folders " + others + "; use either root/<class>/ or root/<train|val|test>/<class>/");
            }
            for (String split : SPLIT_FOLDERS) {
                if (Files.isDirectory(root.resolve(split))) {
                    splitRoots.put(split, root.resolve(split));
                }
            }
        }
        Set<String> classSet = new TreeSet<>();
        for (Path splitRoot : splitRoots.values()) {
            subfolders(splitRoot).forEach(p -> classSet.add(name(p)));
        }
        if (classSet.isEmpty()) {
            throw new DatasetFormatException(name(root), "has no class folders (expected root/<class>/*.png|jpg)");
        }
        List<String> classes = List.copyOf(classSet);

        Map<String, List<Path>> filesBySplit = new LinkedHashMap<>();
        Map<String, int[]> labels = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Path> split : splitRoots.entrySet()) {
            List<Path> files = new ArrayList<>();
            List<Integer> fileLabels = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                Path classDir = split.getValue().resolve(classes.get(c));
                if (Files.isDirectory(classDir)) {
                    for (Path f : imageFiles(classDir)) {
                        files.add(f);
                        fileLabels.add(c);
                    }
                }
            }
            if (files.isEmpty()) {
                throw new DatasetFormatException(name(split.getValue()), "holds no .png/.jpg/.jpeg images in its class folders");
            }
            filesBySplit.put(split.getKey(), files);
            labels.put(split.getKey(), fileLabels.stream().mapToInt(Integer::intValue).toArray());
            total += files.size();
        }
        // the first image fixes the size (without imageSize) and the channel count to try first
        Path firstFile = filesBySplit.values().iterator().next().get(0);
        ImageDecoding.Decoded first = ImageDecoding.read(firstFile, relative(root, firstFile));
        int h = imageSize == null ? first.height() : imageSize;
        int w = imageSize == null ? first.width() : imageSize;
        sink.expect(total);
        Map<String, ImageSource> splits = decodeSplits(root, filesBySplit, labels, classes, imageSize, h, w, relative(root, firstFile),
                first.channels(), sink);
        if (splits == null) { // a grey first image, but colour ones follow: every image becomes RGB
            splits = decodeSplits(root, filesBySplit, labels, classes, imageSize, h, w, relative(root, firstFile), 3, sink);
        }
        return splits;
    }

    /**
     * Decodes every split into {@code sink} with {@code channels} planes; null (all written images
     * dropped) when {@code channels} is 1 and some image is in colour.
     */
    private static Map<String, ImageSource> decodeSplits(Path root, Map<String, List<Path>> filesBySplit, Map<String, int[]> labels,
            List<String> classes, Integer imageSize, int h, int w, String sizeSource, int channels, PixelSink sink) {
        AtomicBoolean colour = new AtomicBoolean();
        Map<String, PixelSink.PixelWriter> writers = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<Path>> split : filesBySplit.entrySet()) {
                List<Path> files = split.getValue();
                PixelSink.PixelWriter writer = sink.open(split.getKey(), channels, h, w, files.size());
                writers.put(split.getKey(), writer);
                ParallelDecode.forEach(files.size(), i -> {
                    if (channels == 1 && colour.get()) {
                        return;
                    }
                    ImageDecoding.Decoded d = ImageDecoding.read(files.get(i), relative(root, files.get(i)));
                    if (imageSize == null && (d.height() != h || d.width() != w)) {
                        throw new DatasetFormatException(relative(root, files.get(i)), "is " + d.width() + "x" + d.height()
                                + " (width x height) but " + sizeSource + " is " + w + "x" + h
                                + "; images must share one size unless an imageSize is given to resize them");
                    }
                    if (imageSize != null) {
                        d = d.resized(imageSize, imageSize);
                    }
                    if (channels == 1 && d.channels() != 1) {
                        colour.set(true);
                        return;
                    }
                    writer.put(i, (channels == 3 ? d.toRgb() : d).chw(), 0);
                });
                if (channels == 1 && colour.get()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            writers.values().forEach(PixelSink.PixelWriter::abort);
            throw e;
        }
        if (channels == 1 && colour.get()) {
            writers.values().forEach(PixelSink.PixelWriter::abort);
            return null;
        }
        Map<String, ImageSource> splits = new LinkedHashMap<>();
        writers.forEach((split, writer) -> splits.put(split, writer.finish(labels.get(split), null, classes, List.of(), null, List.of())));
        return splits;
    }

    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !name(p).startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new DatasetFormatException(name(dir), "cannot be listed: " + e.getMessage(), e);
        }
    }

    private static List<Path> imageFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageDecoding::isImageFile).sorted().toList();
        } catch (IOException e) {
            throw new DatasetFormatException(name(dir), "cannot be listed: " + e.getMessage(), e);
        }
    }

    private static String name(Path p) {
        return DatasetFormatException.displayName(p);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
