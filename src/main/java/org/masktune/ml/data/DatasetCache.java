package org.masktune.ml.data;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The decoded cache: every split of a folder dataset, with the spec's options applied (image size,
 * Biased MNIST transform, subset), decoded once into {@code <cache-dir>/<key>/} as uint8 NCHW pixels
 * plus annotations ({@link CachedImages}) and read memory-mapped from then on.
 *
 * <p>The key is a SHA-256 over the spec's options and a listing of the source folder (every file's
 * relative path, size and modification time), so other options or changed files get a cache of their
 * own. A build writes into {@code <key>.tmp-*} and renames the folder to {@code <key>} when every
 * split is complete: a build that dies halfway leaves only a temporary folder, which is never read
 * and is deleted by the next build. Builds of one key are serialised by a file lock
 * ({@code <key>.lock}), so two jobs (two JVMs) that need the same cache build it once.
 */
public final class DatasetCache {

    static final String FORMAT_TAG = "masktune-decoded-cache-v1";
    private static final String INDEX = "dataset.txt";
    private static final Map<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** Build progress: images written so far of the total; called from decoding threads. */
    @FunctionalInterface
    public interface BuildListener {
        BuildListener NONE = (done, total) -> {
        };

        void progress(long done, long total);
    }

    /** An opened cache: its splits, its folder, and whether this call built it. */
    public record Opened(DatasetSource dataset, Path dir, boolean built) {
    }

    private DatasetCache() {
    }

    /**
     * The dataset of {@code spec} read from its decoded cache under {@code cacheDir}, built first if
     * it is not there. Built-ins are small and come from the classpath: they are loaded into memory
     * and not cached.
     *
     * @param resolvedRoot the confined dataset folder (null for built-ins)
     */
    public static Opened open(DatasetSpec spec, Path resolvedRoot, Path cacheDir, BuildListener listener) {
        if (spec.format() == DatasetFormat.BUILTIN) {
            return new Opened(DatasetSource.of(DatasetLoader.load(spec, (Path) null)), null, false);
        }
        BuildListener progress = listener == null ? BuildListener.NONE : listener;
        String key = key(spec, resolvedRoot);
        Path dir = cacheDir.resolve(key);
        if (isComplete(dir)) {
            return new Opened(read(dir), dir, false);
        }
        ReentrantLock local = LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel lockFile = FileChannel.open(cacheDir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (isComplete(dir)) { // another job built it while this one waited
                    return new Opened(read(dir), dir, false);
                }
                deleteStale(cacheDir, key);
                Path tmp = Files.createDirectory(cacheDir.resolve(key + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
                build(spec, resolvedRoot, tmp, progress);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the decoded cache in " + cacheDir + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
        return new Opened(read(dir), dir, true);
    }

    /** Whether the cache of {@code spec} is complete under {@code cacheDir} (built-ins: always). */
    public static boolean isBuilt(DatasetSpec spec, Path resolvedRoot, Path cacheDir) {
        return spec.format() == DatasetFormat.BUILTIN || isComplete(cacheDir.resolve(key(spec, resolvedRoot)));
    }

    /**
     * The cache key: hex SHA-256 of the UTF-8 lines {@value #FORMAT_TAG}, the spec's options, then
     * one line {@code <relative path> <size> <modified millis>} per regular file under the root, sorted.
     */
    public static String key(DatasetSpec spec, Path resolvedRoot) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        StringBuilder text = new StringBuilder(FORMAT_TAG).append('\n').append(options(spec)).append('\n');
        digest.update(text.toString().getBytes(StandardCharsets.UTF_8));
        if (resolvedRoot != null) {
            try (Stream<Path> files = Files.walk(resolvedRoot)) {
                List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
                for (Path f : sorted) {
                    String line = resolvedRoot.relativize(f).toString().replace('\\', '/') + " " + Files.size(f) + " "
                            + Files.getLastModifiedTime(f).toMillis() + "\n";
                    digest.update(line.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new DatasetFormatException(resolvedRoot, "cannot be listed: " + e.getMessage(), e);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Every option that changes the decoded pixels or annotations (not the folder's name: its files are listed). */
    static String options(DatasetSpec spec) {
        return "format=" + spec.format() + " name=" + spec.name() + " imageSize=" + spec.imageSize() + " target=" + spec.targetAttribute()
                + " spurious=" + spec.spuriousAttribute() + " attributes=" + spec.attributes() + " biasedMnist=" + spec.biasedMnist()
                + " subsetSize=" + spec.subsetSize() + " seed=" + spec.seed();
    }

    private static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(INDEX));
    }

    private static DatasetSource read(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(INDEX), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the decoded cache " + dir + ": " + e.getMessage(), e);
        }
        String name = lines.get(0).substring("name=".length());
        Map<String, ImageSource> splits = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("split=")) {
                String split = line.substring("split=".length());
                splits.put(split, CachedImages.open(dir, split));
            }
        }
        return new DatasetSource(name, splits);
    }

    private static void deleteStale(Path cacheDir, String key) throws IOException {
        try (Stream<Path> entries = Files.list(cacheDir)) {
            for (Path stale : entries.filter(p -> p.getFileName().toString().startsWith(key + ".tmp-")).toList()) {
                deleteTree(stale);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void build(DatasetSpec spec, Path root, Path tmp, BuildListener listener) throws IOException {
        FileSink sink = new FileSink(tmp, listener);
        Map<String, ImageSource> splits;
        String name;
        switch (spec.format()) {
            case CELEBA -> {
                name = "celeba";
                splits = CelebAReader.read(root, new CelebAOptions(spec.targetAttribute(), spec.spuriousAttribute(), spec.imageSize(),
                        spec.attributes(), spec.subsetSize(), spec.seed()), sink);
            }
            case WATERBIRDS -> {
                name = "waterbirds";
                splits = WaterbirdsReader.read(root, new WaterbirdsOptions(spec.imageSize(), spec.subsetSize(), spec.seed()), sink);
            }
            case IMAGE_FOLDER -> {
                name = DatasetFormatException.displayName(root);
                if (spec.subsetSize() == null) {
                    splits = ImageFolderReader.read(root, spec.imageSize(), sink);
                } else { // the subset is drawn after decoding the whole folder, as a direct load does
                    splits = copy(DatasetLoader.load(spec, root), sink);
                }
            }
            default -> {
                // IDX and CIFAR-10 files are read whole (they are small at their native size); a resize to
                // imageSize then happens image by image into the cache, so the resized set need not fit in memory
                boolean resizeHere = spec.imageSize() != null && spec.biasedMnist() == null;
                LoadedDataset loaded = DatasetLoader.load(resizeHere ? spec.withImageSize(null) : spec, root);
                name = loaded.name();
                splits = resizeHere ? copyResized(loaded, spec.imageSize(), sink) : copy(loaded, sink);
            }
        }
        StringBuilder index = new StringBuilder("name=").append(name).append('\n');
        splits.keySet().forEach(split -> index.append("split=").append(split).append('\n'));
        index.append("options=").append(options(spec)).append('\n');
        for (ImageSource s : splits.values()) {
            ((CachedImages) s).close();
        }
        // written last: its presence is what makes the folder a complete cache
        Files.writeString(tmp.resolve(INDEX), index.toString(), StandardCharsets.UTF_8);
    }

    private static Map<String, ImageSource> copy(LoadedDataset loaded, PixelSink sink) {
        sink.expect(loaded.splits().values().stream().mapToLong(ImageSet::size).sum());
        Map<String, ImageSource> out = new LinkedHashMap<>();
        loaded.splits().forEach((split, set) -> {
            PixelSink.PixelWriter writer = sink.open(split, set.channels(), set.height(), set.width(), set.size());
            for (int i = 0; i < set.size(); i++) {
                writer.put(i, set.pixels(), i * set.imageBytes());
            }
            out.put(split, writer.finish(set.labels(), set.groups(), set.classes(), set.groupNames(), set.attributes(), set.attributeNames()));
        });
        return out;
    }

    private static Map<String, ImageSource> copyResized(LoadedDataset loaded, int size, PixelSink sink) {
        sink.expect(loaded.splits().values().stream().mapToLong(ImageSet::size).sum());
        Map<String, ImageSource> out = new LinkedHashMap<>();
        loaded.splits().forEach((split, set) -> {
            PixelSink.PixelWriter writer = sink.open(split, set.channels(), size, size, set.size());
            ParallelDecode.forEach(set.size(), i -> {
                byte[] one = new byte[set.imageBytes()];
                set.read(i, one, 0);
                byte[] resized = set.height() == size && set.width() == size ? one
                        : ImageResizer.resize(one, set.channels(), set.height(), set.width(), size, size);
                writer.put(i, resized, 0);
            });
            out.put(split, writer.finish(set.labels(), set.groups(), set.classes(), set.groupNames(), set.attributes(), set.attributeNames()));
        });
        return out;
    }

    /** Writes each split's pixels into {@code <split>.pixels} at their final offsets, then its {@code .meta}. */
    private static final class FileSink implements PixelSink {
        private final Path dir;
        private final BuildListener listener;
        private final AtomicLong done = new AtomicLong();
        private volatile long total;

        FileSink(Path dir, BuildListener listener) {
            this.dir = dir;
            this.listener = listener;
        }

        @Override
        public void expect(long images) {
            total = images;
            listener.progress(done.get(), total);
        }

        @Override
        public PixelWriter open(String split, int channels, int height, int width, int count) {
            Path pixels = dir.resolve(split + ".pixels");
            long bytes = (long) channels * height * width;
            FileChannel channel;
            try {
                try (RandomAccessFile file = new RandomAccessFile(pixels.toFile(), "rw")) {
                    file.setLength(bytes * count);
                }
                channel = FileChannel.open(pixels, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + pixels + ": " + e.getMessage(), e);
            }
            return new PixelWriter() {
                @Override
                public void put(int image, byte[] chw, int offset) {
                    ByteBuffer buffer = ByteBuffer.wrap(chw, offset, (int) bytes);
                    long position = image * bytes;
                    try {
                        while (buffer.hasRemaining()) {
                            channel.write(buffer, position + (bytes - buffer.remaining()));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write " + pixels + ": " + e.getMessage(), e);
                    }
                    long now = done.incrementAndGet();
                    if ((now & 255) == 0) {
                        listener.progress(now, Math.max(now, total));
                    }
                }

                @Override
                public ImageSource finish(int[] labels, int[] groups, List<String> classes, List<String> groupNames, byte[] attributes,
                        List<String> attributeNames) {
                    try {
                        channel.close();
                        CachedImages.writeMeta(dir.resolve(split + ".meta"), count, channels, height, width, labels, groups, classes,
                                groupNames, attributes, attributeNames);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot finish " + pixels + ": " + e.getMessage(), e);
                    }
                    listener.progress(done.get(), Math.max(done.get(), total));
                    return CachedImages.open(dir, split);
                }

                @Override
                public void abort() {
                    try {
                        channel.close();
                        Files.deleteIfExists(pixels);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot delete " + pixels + ": " + e.getMessage(), e);
                    }
                }
            };
        }
    }
}
