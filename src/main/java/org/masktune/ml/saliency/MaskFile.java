package org.masktune.ml.saliency;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.masktune.ml.data.ImageSource;

/**
 * The masks of a masked set in one gzip file, instead of a masked copy of its pixels: "MTMK", version,
 * images, height, width, channels, layer count; per layer its effect (FILL / ATTENUATE), fill, attenuation,
 * the fill's per-channel dataset mean and standard deviation and NOISE seed; then per layer the packed
 * masks ({@link PackedMasks} layout, image after image). Applied in order to the originals
 * ({@link MaskedImages}) they give the masked images bit for bit.
 */
public final class MaskFile {

    static final int MAGIC = 0x4D544D4B; // "MTMK"
    static final int VERSION = 1;

    private MaskFile() {
    }

    /** Writes the layers of {@code masked} (not its pixels). */
    public static void write(Path file, MaskedImages masked) throws IOException {
        List<MaskLayer> layers = masked.layers();
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(masked.size());
            out.writeInt(masked.height());
            out.writeInt(masked.width());
            out.writeInt(masked.channels());
            out.writeInt(layers.size());
            for (MaskLayer layer : layers) {
                out.writeUTF(layer.effect().name());
                out.writeUTF(layer.fill() == null ? "" : layer.fill().name());
                out.writeDouble(layer.attenuation());
                MaskFills fills = layer.fills() != null ? layer.fills() : MaskFills.withoutStatistics(masked.channels());
                for (int c = 0; c < masked.channels(); c++) {
                    out.writeFloat(fills.datasetMean()[c]);
                    out.writeFloat(fills.datasetStd()[c]);
                }
                out.writeLong(fills.seed());
            }
            for (MaskLayer layer : layers) {
                for (int i = 0; i < masked.size(); i++) {
                    out.write(layer.masks().getPacked(i));
                }
            }
        }
    }

    /** The layers of {@code file}, their masks on the heap. */
    public static List<MaskLayer> read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * The layers of {@code file}; their masks go into files in {@code maskFolder} (memory-mapped), or on the
     * heap when it is null.
     */
    public static List<MaskLayer> read(Path file, Path maskFolder) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a mask file (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": mask file version " + version + ", this build reads " + VERSION);
            }
            int n = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            int channels = in.readInt();
            int count = in.readInt();
            if (n < 0 || channels < 1 || count < 0 || count > 64) {
                throw new IOException(file + ": implausible header (" + n + " images, " + channels + " channels, " + count + " layers)");
            }
            List<MaskLayer.Effect> effects = new ArrayList<>();
            List<String> fillNames = new ArrayList<>();
            List<Double> factors = new ArrayList<>();
            List<MaskFills> fills = new ArrayList<>();
            for (int l = 0; l < count; l++) {
                effects.add(MaskLayer.Effect.valueOf(in.readUTF()));
                fillNames.add(in.readUTF());
                factors.add(in.readDouble());
                float[] mean = new float[channels];
                float[] std = new float[channels];
                for (int c = 0; c < channels; c++) {
                    mean[c] = in.readFloat();
                    std[c] = in.readFloat();
                }
                fills.add(new MaskFills(mean, std, in.readLong()));
            }
            List<MaskLayer> layers = new ArrayList<>();
            for (int l = 0; l < count; l++) {
                PackedMasks masks = PackedMasks.allocate(maskFolder == null ? null : Files.createTempFile(
                        Files.createDirectories(maskFolder), "masks-", ".bits"), n, h, w);
                byte[] packed = new byte[masks.bytesPerImage()];
                for (int i = 0; i < n; i++) {
                    in.readFully(packed);
                    masks.setPacked(i, packed);
                }
                layers.add(effects.get(l) == MaskLayer.Effect.FILL
                        ? MaskLayer.filled(masks, MaskFill.valueOf(fillNames.get(l)), fills.get(l))
                        : MaskLayer.attenuated(masks, factors.get(l)));
            }
            if (in.read() != -1) {
                throw new IOException(file + ": bytes after the last mask");
            }
            return layers;
        } catch (EOFException e) {
            throw new IOException(file + " ends early: " + e.getMessage(), e);
        }
    }

    /** {@code originals} masked as {@code file} says; fails when the masks are for another shape or count. */
    public static MaskedImages apply(Path file, ImageSource originals) throws IOException {
        return MaskedImages.of(originals, read(file));
    }
}
