package org.masktune.ml.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content hash of an {@link ImageSet}, stored with every run so a later job can tell that "the
 * dataset changed since training". What is hashed, in order: the ASCII tag {@code masktune-imageset-v1};
 * channels, height, width and size as big-endian int32; the pixel bytes; each label as int32; a byte
 * 0/1 for whether groups exist, then each group as int32; a byte 0/1 for whether multi-label
 * attributes exist, then their count as int32 and the attribute bytes. Class, group and attribute
 * <em>names</em> are not hashed: renaming does not change the data.
 */
public final class DatasetFingerprint {

    static final byte[] TAG = "masktune-imageset-v1".getBytes(StandardCharsets.US_ASCII);

    private DatasetFingerprint() {
    }

    /** Lower-case hex SHA-256 of the set's shape, pixels, labels, groups and attributes. */
    public static String sha256(ImageSet set) {
        return sha256((ImageSource) set);
    }

    /** As {@link #sha256(ImageSet)}, reading the pixels image by image (the same bytes in the same order). */
    public static String sha256(ImageSource set) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        digest.update(TAG);
        digest.update(ByteBuffer.allocate(16).putInt(set.channels()).putInt(set.height()).putInt(set.width()).putInt(set.size()).array());
        if (set instanceof ImageSet inMemory) {
            digest.update(inMemory.pixels());
        } else {
            byte[] image = new byte[set.imageBytes()];
            for (int i = 0; i < set.size(); i++) {
                set.read(i, image, 0);
                digest.update(image);
            }
        }
        digest.update(ints(set.labels()));
        digest.update((byte) (set.hasGroups() ? 1 : 0));
        if (set.hasGroups()) {
            digest.update(ints(set.groups()));
        }
        digest.update((byte) (set.isMultiLabel() ? 1 : 0));
        if (set.isMultiLabel()) {
            digest.update(ByteBuffer.allocate(4).putInt(set.attributeNames().size()).array());
            digest.update(set.attributes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] ints(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }
}
