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
import java.util.stream.IntStream;
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

        Map<String, List<ImageDecoding.Decoded>> decoded = new LinkedHashMap<>();
        Map<String, int[]> labels = new LinkedHashMap<>();
        String sizeSource = null;
        int[] commonSize = null;
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
            List<ImageDecoding.Decoded> images = IntStream.range(0, files.size()).parallel()
                    .mapToObj(i -> {
                        ImageDecoding.Decoded d = ImageDecoding.read(files.get(i), relative(root, files.get(i)));
                        return imageSize == null ? d : d.resized(imageSize, imageSize);
                    }).toList();
            if (imageSize == null) {
                for (int i = 0; i < images.size(); i++) {
                    ImageDecoding.Decoded d = images.get(i);
                    if (commonSize == null) {
                        commonSize = new int[] {d.height(), d.width()};
                        sizeSource = relative(root, files.get(i));
                    } else if (d.height() != commonSize[0] || d.width() != commonSize[1]) {
                        throw new DatasetFormatException(relative(root, files.get(i)), "is " + d.width() + "x" + d.height()
                                + " (width x height) but " + sizeSource + " is " + commonSize[1] + "x" + commonSize[0]
                                + "; images must share one size unless an imageSize is given to resize them");
                    }
                }
            }
            decoded.put(split.getKey(), images);
            labels.put(split.getKey(), fileLabels.stream().mapToInt(Integer::intValue).toArray());
        }

        boolean allGrey = decoded.values().stream().flatMap(List::stream).allMatch(d -> d.channels() == 1);
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        for (String split : decoded.keySet()) {
            splits.put(split, assemble(decoded.get(split), labels.get(split), allGrey ? 1 : 3, classes));
        }
        return new LoadedDataset(name(root), splits);
    }

    /** Packs same-sized decoded images into one ImageSet with {@code channels} planes each. */
    static ImageSet assemble(List<ImageDecoding.Decoded> images, int[] labels, int channels, List<String> classes) {
        int h = images.get(0).height();
        int w = images.get(0).width();
        int bytes = channels * h * w;
        byte[] pixels = new byte[DataFiles.pixelArraySize(images.size(), bytes)];
        for (int i = 0; i < images.size(); i++) {
            ImageDecoding.Decoded d = channels == 3 ? images.get(i).toRgb() : images.get(i);
            System.arraycopy(d.chw(), 0, pixels, i * bytes, bytes);
        }
        return ImageSet.of(channels, h, w, pixels, labels, classes);
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
