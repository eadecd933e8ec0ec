package org.masktune.ml.train;

import org.masktune.ml.models.ModelParameters;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.masktune.ml.models.Classifier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One self-describing binary file per checkpoint:
 * <pre>
 *   "MTCK"              4 bytes magic
 *   version             int32 (1)
 *   header length       int32, then the header: UTF-8 JSON with the ModelSpec, TrainingProgress,
 *                       metadata, optimiser kind/steps/tensor names and lengths, parameter byte count
 *   parameters          DJL's Block.saveParameters bytes (BatchNorm running statistics included)
 *   optimiser tensors   float32 big-endian, in header order
 *   CRC-32              int64 over everything before it
 * </pre>
 * All numbers big-endian. Files are written to a temporary sibling and moved into place.
 */
public final class CheckpointFile {

    static final byte[] MAGIC = {'M', 'T', 'C', 'K'};
    static final int VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CheckpointFile() {
    }

    public record OptimizerHeader(OptimizerKind kind, long steps, List<TensorHeader> tensors) {
    }

    public record TensorHeader(String key, int length) {
    }

    /** The JSON header; readable alone with {@link #readHeader} (no parameters are loaded). */
    public record Header(ModelSpec spec, TrainingProgress progress, Map<String, Object> metadata,
            OptimizerHeader optimizer, long parameterBytes) {
    }

    /**
     * Writes {@code classifier}'s parameters with everything needed to rebuild and resume it.
     *
     * @param optimizerState may be null
     * @param metadata       JSON-serialisable extras (provenance, kind of checkpoint, …); may be null
     */
    public static void write(Path path, Classifier classifier, ModelSpec spec, OptimizerState optimizerState,
            TrainingProgress progress, Map<String, Object> metadata) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            write(out, classifier, spec, optimizerState, progress, metadata);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** As {@link #write(Path, Classifier, ModelSpec, OptimizerState, TrainingProgress, Map)}, to a stream (not closed). */
    public static void write(OutputStream target, Classifier classifier, ModelSpec spec, OptimizerState optimizerState,
            TrainingProgress progress, Map<String, Object> metadata) throws IOException {
        if (!classifier.architecture().equals(spec.architecture())) {
            throw new IllegalArgumentException("classifier is " + classifier.architecture() + ", spec says " + spec.architecture());
        }
        byte[] parameters = ModelParameters.save(classifier.network());
        OptimizerHeader optimizer = null;
        if (optimizerState != null) {
            List<TensorHeader> tensors = new ArrayList<>();
            optimizerState.tensors().forEach((key, values) -> tensors.add(new TensorHeader(key, values.length)));
            optimizer = new OptimizerHeader(optimizerState.kind(), optimizerState.steps(), tensors);
        }
        Header header = new Header(spec, progress, metadata == null ? Map.of() : metadata, optimizer, parameters.length);
        byte[] json = JSON.writeValueAsBytes(header);

        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(nonClosing(target), 1 << 16), new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(json.length);
        out.write(json);
        out.write(parameters);
        if (optimizerState != null) {
            for (float[] values : optimizerState.tensors().values()) {
                writeFloats(out, values);
            }
        }
        out.flush();
        out.writeLong(checked.getChecksum().getValue());
        out.close();
    }

    /** Reads a checkpoint and loads its model into {@code manager} (and so onto its device). */
    public static LoadedModel read(Path path, NDManager manager) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, manager);
        }
    }

    /** As {@link #read(Path, NDManager)}, from a stream (not closed). */
    public static LoadedModel read(InputStream source, NDManager manager) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(source, 1 << 16), new CRC32());
        DataInputStream in = new DataInputStream(checked);
        try {
            Header header = readHeader(in);
            byte[] parameters = new byte[Math.toIntExact(header.parameterBytes())];
            in.readFully(parameters);
            OptimizerState optimizerState = null;
            if (header.optimizer() != null) {
                Map<String, float[]> tensors = new LinkedHashMap<>();
                for (TensorHeader t : header.optimizer().tensors()) {
                    tensors.put(t.key(), readFloats(in, t.length()));
                }
                optimizerState = new OptimizerState(header.optimizer().kind(), header.optimizer().steps(), tensors);
            }
            long computed = checked.getChecksum().getValue();
            if (in.readLong() != computed) {
                throw new CheckpointFormatException("checkpoint is corrupted: CRC-32 mismatch");
            }
            Classifier classifier = header.spec().build();
            ModelParameters.load(classifier.network(), parameters, manager);
            return new LoadedModel(classifier, header.spec(), optimizerState, header.progress(), header.metadata());
        } catch (EOFException e) {
            throw new CheckpointFormatException("checkpoint is truncated");
        }
    }

    /** Only the header: spec, progress and metadata, without loading anything into an engine. */
    public static Header readHeader(Path path) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
            return readHeader(in);
        } catch (EOFException e) {
            throw new CheckpointFormatException("checkpoint is truncated");
        }
    }

    /** The header from the start of a checkpoint stream; the stream is left at the first parameter byte. */
    public static Header readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new CheckpointFormatException("not a MaskTune checkpoint: the file starts with "
                    + hex(magic) + ", expected " + hex(MAGIC) + " ('MTCK')");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new CheckpointFormatException("checkpoint format version " + version + " is not supported; this build reads version " + VERSION);
        }
        int length = in.readInt();
        if (length <= 0 || length > (64 << 20)) {
            throw new CheckpointFormatException("checkpoint header length " + length + " is implausible; the file is corrupted");
        }
        byte[] json = new byte[length];
        in.readFully(json);
        try {
            return JSON.readValue(new String(json, StandardCharsets.UTF_8), Header.class);
        } catch (JacksonException e) {
            throw new CheckpointFormatException("checkpoint header is not valid: " + e.getOriginalMessage());
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(values.length, 1 << 16) * Float.BYTES);
        for (int from = 0; from < values.length; from += buffer.capacity() / Float.BYTES) {
            int count = Math.min(buffer.capacity() / Float.BYTES, values.length - from);
            buffer.clear();
            buffer.asFloatBuffer().put(values, from, count);
            out.write(buffer.array(), 0, count * Float.BYTES);
        }
    }

    private static float[] readFloats(DataInputStream in, int length) throws IOException {
        float[] values = new float[length];
        byte[] chunk = new byte[Math.min(length, 1 << 16) * Float.BYTES];
        for (int from = 0; from < length; from += chunk.length / Float.BYTES) {
            int count = Math.min(chunk.length / Float.BYTES, length - from);
            in.readFully(chunk, 0, count * Float.BYTES);
            ByteBuffer.wrap(chunk, 0, count * Float.BYTES).asFloatBuffer().get(values, from, count);
        }
        return values;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder("0x");
        for (byte b : bytes) {
            s.append(String.format("%02X", b));
        }
        return s.toString();
    }

    /** The caller owns the stream; closing our wrappers must not close it. */
    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
