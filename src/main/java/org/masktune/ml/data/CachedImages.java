package org.masktune.ml.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One split of a decoded cache: {@code <split>.pixels} holds the uint8 NCHW pixels and nothing else
 * ({@code size × imageBytes} bytes), {@code <split>.meta} the shape and annotations ("MTDC", version,
 * size, channels, height, width, class/group/attribute names, labels, groups, attributes). The
 * annotations are read onto the heap; the pixels stay on disk and are memory-mapped in regions of at
 * most 1 GiB that each hold whole images, so there is no 2 GiB limit and an image never straddles
 * two regions.
 *
 * <p>A mapped page a job has touched counts in its resident memory until the kernel reclaims it, so
 * mapping a split larger than memory makes the RSS grow with the epoch (it reached the file's size
 * when loading a full CelebA epoch at 224 px). Splits up to {@link #MAP_LIMIT} are therefore mapped
 * and larger ones read with positional reads, whose pages stay in the page cache and out of the
 * process. System property {@code masktune.cache.read} = {@code auto} (default), {@code mmap} or
 * {@code pread} chooses.
 */
public final class CachedImages implements ImageSource, AutoCloseable {

    static final int MAGIC = 0x4D544443; // "MTDC"
    static final int VERSION = 1;
    static final long MAX_REGION = 1L << 30;
    static final long MAP_LIMIT = 1L << 30;

    private final Path pixelsFile;
    private final int channels;
    private final int height;
    private final int width;
    private final int[] labels;
    private final int[] groups;
    private final List<String> classes;
    private final List<String> groupNames;
    private final byte[] attributes;
    private final List<String> attributeNames;
    private final FileChannel channel;
    private final MappedByteBuffer[] regions;
    private final int imagesPerRegion;

    private CachedImages(Path pixelsFile, int channels, int height, int width, int[] labels, int[] groups, List<String> classes,
            List<String> groupNames, byte[] attributes, List<String> attributeNames, String readMode) throws IOException {
        this.pixelsFile = pixelsFile;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.labels = labels;
        this.groups = groups;
        this.classes = List.copyOf(classes);
        this.groupNames = List.copyOf(groupNames);
        this.attributes = attributes;
        this.attributeNames = List.copyOf(attributeNames);
        long bytes = (long) channels * height * width;
        long expected = bytes * labels.length;
        this.channel = FileChannel.open(pixelsFile, StandardOpenOption.READ);
        if (channel.size() != expected) {
            channel.close();
            throw new DatasetFormatException(pixelsFile, "holds " + channel.size() + " bytes, its metadata promises " + expected);
        }
        boolean mapped = mapped(expected, readMode);
        this.imagesPerRegion = (int) Math.max(1, Math.min(Integer.MAX_VALUE, MAX_REGION / bytes));
        int count = labels.length == 0 ? 0 : (labels.length + imagesPerRegion - 1) / imagesPerRegion;
        this.regions = mapped ? new MappedByteBuffer[count] : null;
        if (mapped) {
            for (int r = 0; r < count; r++) {
                long from = r * (long) imagesPerRegion * bytes;
                long length = Math.min(expected - from, (long) imagesPerRegion * bytes);
                regions[r] = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            }
        }
    }

    /** Opens split {@code split} of the cache folder {@code dir}. */
    public static CachedImages open(Path dir, String split) {
        Path meta = dir.resolve(split + ".meta");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(meta), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new DatasetFormatException(meta, "not a decoded-cache file (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new DatasetFormatException(meta, "decoded-cache version " + version + ", this build reads " + VERSION);
            }
            int n = in.readInt();
            int c = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            List<String> classes = readNames(in);
            List<String> groupNames = readNames(in);
            List<String> attributeNames = readNames(in);
            boolean hasGroups = in.readBoolean();
            boolean multiLabel = in.readBoolean();
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
            }
            int[] groups = null;
            if (hasGroups) {
                groups = new int[n];
                for (int i = 0; i < n; i++) {
                    groups[i] = in.readInt();
                }
            }
            byte[] attributes = multiLabel ? in.readNBytes(n * attributeNames.size()) : null;
            return new CachedImages(dir.resolve(split + ".pixels"), c, h, w, labels, groups, classes, groupNames, attributes,
                    attributeNames, readMode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the decoded cache " + meta + ": " + e.getMessage(), e);
        }
    }

    private static String readMode() {
        return System.getProperty("masktune.cache.read", "auto");
    }

    /** Whether a pixels file of {@code bytes} is memory-mapped under read mode {@code mode}. */
    static boolean mapped(long bytes, String mode) {
        return switch (mode) {
            case "auto" -> bytes <= MAP_LIMIT;
            case "mmap" -> true;
            case "pread" -> false;
            default -> throw new IllegalArgumentException("masktune.cache.read must be auto, mmap or pread, not '" + mode + "'");
        };
    }

    /** Writes the metadata file of a split whose pixels file is complete. */
    static void writeMeta(Path meta, int count, int channels, int height, int width, int[] labels, int[] groups, List<String> classes,
            List<String> groupNames, byte[] attributes, List<String> attributeNames) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(meta), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(count);
            out.writeInt(channels);
            out.writeInt(height);
            out.writeInt(width);
            writeNames(out, classes);
            writeNames(out, groupNames == null ? List.of() : groupNames);
            writeNames(out, attributeNames == null ? List.of() : attributeNames);
            out.writeBoolean(groups != null);
            out.writeBoolean(attributes != null);
            for (int label : labels) {
                out.writeInt(label);
            }
            if (groups != null) {
                for (int g : groups) {
                    out.writeInt(g);
                }
            }
            if (attributes != null) {
                out.write(attributes);
            }
        }
    }

    @Override
    public void read(int image, byte[] into, int offset) {
        int bytes = imageBytes();
        if (image < 0 || image >= labels.length) {
            throw new IndexOutOfBoundsException("image " + image + " of " + labels.length);
        }
        int region = image / imagesPerRegion;
        int at = (image % imagesPerRegion) * bytes;
        if (regions != null) {
            regions[region].get(at, into, offset, bytes);
            return;
        }
        ByteBuffer target = ByteBuffer.wrap(into, offset, bytes);
        long position = (long) image * bytes;
        try {
            while (target.hasRemaining()) {
                int read = channel.read(target, position + (bytes - target.remaining()));
                if (read < 0) {
                    throw new DatasetFormatException(pixelsFile, "ends inside image " + image);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pixelsFile + ": " + e.getMessage(), e);
        }
    }

    /** How many mapped regions hold the pixels (0 when reading with positional reads). */
    int regionCount() {
        return regions == null ? 0 : regions.length;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int[] labels() {
        return labels;
    }

    @Override
    public int[] groups() {
        return groups;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<String> groupNames() {
        return groupNames;
    }

    @Override
    public byte[] attributes() {
        return attributes;
    }

    @Override
    public List<String> attributeNames() {
        return attributeNames;
    }

    @Override
    public String toString() {
        return "CachedImages[" + labels.length + " x " + channels + "x" + height + "x" + width + ", " + pixelsFile + "]";
    }

    private static void writeNames(DataOutputStream out, List<String> names) throws IOException {
        out.writeInt(names.size());
        for (String name : names) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static List<String> readNames(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8));
        }
        return names;
    }
}
