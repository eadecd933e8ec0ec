package org.masktune.ml.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A whole {@link ImageSet} in one gzip file: "MTIS", version, shape, class/group/attribute names,
 * labels, groups, attributes, pixels (all big-endian). The format of the {@code masked-set} artifacts
 * MaskTune jobs stored before they stored masks instead ({@code MaskFile}); the service only serves
 * those old files, so the format lives on here, where tests compare the two.
 */
public final class ImageSetFile {

    private static final int MAGIC = 0x4D544953; // "MTIS"
    private static final int VERSION = 1;

    private ImageSetFile() {
    }

    public static void write(Path file, ImageSet set) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(set.size());
            out.writeInt(set.channels());
            out.writeInt(set.height());
            out.writeInt(set.width());
            writeNames(out, set.classes());
            writeNames(out, set.groupNames());
            writeNames(out, set.attributeNames());
            out.writeBoolean(set.hasGroups());
            out.writeBoolean(set.isMultiLabel());
            for (int i = 0; i < set.size(); i++) {
                out.writeInt(set.labels()[i]);
                if (set.hasGroups()) {
                    out.writeInt(set.groups()[i]);
                }
            }
            if (set.isMultiLabel()) {
                out.write(set.attributes());
            }
            out.write(set.pixels());
        }
    }

    public static ImageSet read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)))) {
            if (in.readInt() != MAGIC) {
                throw new DatasetFormatException(file, "not an image-set file (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new DatasetFormatException(file, "image-set file version " + version + ", this build reads " + VERSION);
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
            int[] groups = hasGroups ? new int[n] : null;
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
                if (hasGroups) {
                    groups[i] = in.readInt();
                }
            }
            byte[] attributes = multiLabel ? in.readNBytes(n * attributeNames.size()) : null;
            byte[] pixels = in.readNBytes(n * c * h * w);
            if (pixels.length != n * c * h * w) {
                throw new DatasetFormatException(file, "truncated: " + pixels.length + " of " + (n * c * h * w) + " pixel bytes");
            }
            return new ImageSet(c, h, w, pixels, labels, groups, classes, groupNames, attributes, attributeNames);
        }
    }

    private static void writeNames(DataOutputStream out, List<String> names) throws IOException {
        out.writeInt(names.size());
        for (String name : names) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
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
