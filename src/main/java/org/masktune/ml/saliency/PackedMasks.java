package org.masktune.ml.saliency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One binary mask per image of a set, one bit per pixel position ({@code height × width}, shared by
 * the channels), at the input resolution. Image {@code i}'s mask is {@link #bytesPerImage()} bytes
 * (row-major positions, position p in byte p / 8 at bit p % 8, least significant first; the unused
 * bits of the last byte are 0), so 28 × 28 costs 98 bytes and 224 × 224 costs 6,272 bytes per image
 * (1.02 GB for CelebA's 162,770 training images).
 *
 * <p>The bytes live in regions of at most 1 GiB that each hold whole masks: on the heap
 * ({@link #onHeap}), or in a file memory-mapped read-write ({@link #inFile}), so a large set's masks
 * count as page cache rather than heap. One thread writes each mask once ({@link #set}); any number
 * of threads may then read ({@link #get}) — reads and writes use absolute positions only.
 */
public final class PackedMasks {

    static final long MAX_REGION = 1L << 30;

    private final int size;
    private final int height;
    private final int width;
    private final int bytesPerImage;
    private final int masksPerRegion;
    private final ByteBuffer[] regions;

    private PackedMasks(int size, int height, int width, ByteBuffer[] regions) {
        this.size = size;
        this.height = height;
        this.width = width;
        this.bytesPerImage = bytesPerImage(height, width);
        this.masksPerRegion = masksPerRegion(bytesPerImage);
        this.regions = regions;
    }

    /** Bytes of one packed mask of {@code height × width} positions. */
    public static int bytesPerImage(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("mask shape must be positive, got " + height + "x" + width);
        }
        return (int) (((long) height * width + 7) / 8);
    }

    private static int masksPerRegion(int bytesPerImage) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, MAX_REGION / bytesPerImage));
    }

    private static int regionCount(int size, int perRegion) {
        return size == 0 ? 0 : (size - 1) / perRegion + 1;
    }

    /** Empty (all-unmasked) masks for {@code size} images on the heap. */
    public static PackedMasks onHeap(int size, int height, int width) {
        int perRegion = masksPerRegion(bytesPerImage(height, width));
        ByteBuffer[] regions = new ByteBuffer[regionCount(size, perRegion)];
        for (int r = 0; r < regions.length; r++) {
            regions[r] = ByteBuffer.allocate(Math.min(size - r * perRegion, perRegion) * bytesPerImage(height, width));
        }
        return new PackedMasks(size, height, width, regions);
    }

    /**
     * Empty masks for {@code size} images in a new file {@code file} (created, or truncated), mapped
     * read-write: the heap holds none of the bits. The file stays where it is; delete it with its folder.
     */
    public static PackedMasks inFile(Path file, int size, int height, int width) {
        int bytes = bytesPerImage(height, width);
        int perRegion = masksPerRegion(bytes);
        ByteBuffer[] regions = new ByteBuffer[regionCount(size, perRegion)];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int r = 0; r < regions.length; r++) {
                long from = (long) r * perRegion * bytes;
                long length = (long) Math.min(size - r * perRegion, perRegion) * bytes;
                regions[r] = channel.map(FileChannel.MapMode.READ_WRITE, from, length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the mask file " + file + ": " + e.getMessage(), e);
        }
        return new PackedMasks(size, height, width, regions);
    }

    /** Masks of the same shape, in a file next to {@code file} when {@code file} is not null, else on the heap. */
    static PackedMasks allocate(Path fileOrNull, int size, int height, int width) {
        if (fileOrNull == null) {
            return onHeap(size, height, width);
        }
        try {
            Files.createDirectories(fileOrNull.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inFile(fileOrNull, size, height, width);
    }

    public int size() {
        return size;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int bytesPerImage() {
        return bytesPerImage;
    }

    /** Stores image {@code image}'s mask ({@code height × width} booleans, true = masked). */
    public void set(int image, boolean[] mask) {
        if (mask.length != height * width) {
            throw new IllegalArgumentException("mask of " + mask.length + " positions for " + height + "x" + width);
        }
        byte[] packed = new byte[bytesPerImage];
        for (int p = 0; p < mask.length; p++) {
            if (mask[p]) {
                packed[p >>> 3] |= (byte) (1 << (p & 7));
            }
        }
        setPacked(image, packed);
    }

    /** Image {@code image}'s mask, unpacked. */
    public boolean[] get(int image) {
        byte[] packed = getPacked(image);
        boolean[] mask = new boolean[height * width];
        for (int p = 0; p < mask.length; p++) {
            mask[p] = (packed[p >>> 3] & (1 << (p & 7))) != 0;
        }
        return mask;
    }

    /** Image {@code image}'s packed bytes (a copy). */
    public byte[] getPacked(int image) {
        byte[] packed = new byte[bytesPerImage];
        region(image).get(offset(image), packed, 0, bytesPerImage);
        return packed;
    }

    /** Stores image {@code image}'s packed bytes as they are. */
    public void setPacked(int image, byte[] packed) {
        if (packed.length != bytesPerImage) {
            throw new IllegalArgumentException(packed.length + " bytes for a mask of " + bytesPerImage);
        }
        region(image).put(offset(image), packed, 0, bytesPerImage);
    }

    /** Masked positions of image {@code image}. */
    public int count(int image) {
        int n = 0;
        for (byte b : getPacked(image)) {
            n += Integer.bitCount(b & 0xFF);
        }
        return n;
    }

    /**
     * The union (bitwise OR) of these masks and {@code other}'s, image by image, into new masks at
     * {@code fileOrNull} (null: the heap).
     */
    public PackedMasks or(PackedMasks other, Path fileOrNull) {
        if (other.size != size || other.height != height || other.width != width) {
            throw new IllegalArgumentException("masks of " + other.size + " x " + other.height + "x" + other.width
                    + " cannot be combined with " + size + " x " + height + "x" + width);
        }
        PackedMasks union = allocate(fileOrNull, size, height, width);
        for (int i = 0; i < size; i++) {
            byte[] a = getPacked(i);
            byte[] b = other.getPacked(i);
            for (int k = 0; k < a.length; k++) {
                a[k] |= b[k];
            }
            union.setPacked(i, a);
        }
        return union;
    }

    private ByteBuffer region(int image) {
        if (image < 0 || image >= size) {
            throw new IndexOutOfBoundsException("mask " + image + " of " + size);
        }
        return regions[image / masksPerRegion];
    }

    private int offset(int image) {
        return (image % masksPerRegion) * bytesPerImage;
    }

    /** Whether both hold the same shape and the same bits. */
    public boolean sameBits(PackedMasks other) {
        if (other.size != size || other.height != height || other.width != width) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!java.util.Arrays.equals(getPacked(i), other.getPacked(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "PackedMasks[" + size + " x " + height + "x" + width + ", " + bytesPerImage + " bytes each]";
    }
}
