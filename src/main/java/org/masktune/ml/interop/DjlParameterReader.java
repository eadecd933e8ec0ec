package org.masktune.ml.interop;

import ai.djl.nn.AbstractBaseBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.masktune.ml.train.CheckpointFormatException;

/**
 * Reads the parameters DJL's {@code Block.saveParameters} wrote, one tensor at a time, without an
 * engine: the service turns a stored checkpoint into safetensors without loading libtorch.
 *
 * <p>DJL's layout (0.36), depth first over the block tree: per block a version byte and its metadata
 * (the input shapes; BatchNorm adds its channel count, SequentialBlock a flag, Linear its units, input
 * features and input shape instead), then per direct parameter {@code 'P'}, a version byte, the name
 * (modified UTF-8) and the array as {@code NDArray.encode} writes it: "NDAR", version, optional name,
 * sparse format, data type, shape, byte order, length, bytes. A block class whose metadata is not one
 * of these is refused rather than misread.
 */
public final class DjlParameterReader {

    /** One parameter's values as stored: {@code littleEndian} tells how {@code bytes} are ordered. */
    public record StoredTensor(Block owner, String name, String dataType, long[] shape, boolean littleEndian, byte[] bytes) {
    }

    private record Step(Block block, Parameter parameter) {
    }

    private final DataInputStream in;
    private final List<Step> steps = new ArrayList<>();
    private int next;

    /** @param network the uninitialised (or initialised) network the bytes belong to, e.g. {@code spec.build().network()} */
    public DjlParameterReader(Block network, DataInputStream in) {
        this.in = in;
        flatten(network);
    }

    private void flatten(Block block) {
        steps.add(new Step(block, null));
        for (Parameter p : block.getDirectParameters().values()) {
            steps.add(new Step(block, p));
        }
        for (Block child : block.getChildren().values()) {
            flatten(child);
        }
    }

    /** The next parameter in storage order, or null after the last one. */
    public StoredTensor next() throws IOException {
        while (next < steps.size()) {
            Step step = steps.get(next++);
            if (step.parameter() == null) {
                readBlockHeader(step.block());
            } else {
                return readParameter(step.block(), step.parameter());
            }
        }
        return null;
    }

    private void readBlockHeader(Block block) throws IOException {
        in.readByte(); // the block's version
        Class<?> metadataOwner = declaringClassOfSaveMetadata(block.getClass());
        if (metadataOwner == Linear.class) {
            in.readLong(); // units
            in.readLong(); // input features
            readShape();
        } else {
            int inputShapes = in.readInt();
            if (inputShapes < 0 || inputShapes > 64) {
                throw new CheckpointFormatException("parameters do not match the architecture: " + inputShapes + " input shapes at "
                        + block.getClass().getSimpleName());
            }
            for (int i = 0; i < inputShapes; i++) {
                readShape();
            }
            if (metadataOwner == BatchNorm.class) {
                in.readLong();
            } else if (metadataOwner == SequentialBlock.class) {
                in.readBoolean();
            } else if (metadataOwner != AbstractBaseBlock.class) {
                throw new IllegalStateException("cannot read DJL metadata of " + block.getClass().getName());
            }
        }
    }

    private StoredTensor readParameter(Block owner, Parameter parameter) throws IOException {
        char marker = in.readChar();
        if (marker != 'P') {
            throw new CheckpointFormatException("parameter " + parameter.getName() + " was stored uninitialised (marker '" + marker + "')");
        }
        in.readByte(); // parameter format version
        String name = in.readUTF();
        if (!name.equals(parameter.getName())) {
            throw new CheckpointFormatException("parameters do not match the architecture: found " + name + " where "
                    + parameter.getName() + " of " + owner.getClass().getSimpleName() + " belongs");
        }
        String magic = in.readUTF();
        if (!magic.equals("NDAR")) {
            throw new CheckpointFormatException("parameter " + name + " is not an encoded array (magic '" + magic + "')");
        }
        int version = in.readInt();
        if (version < 2 || version > 3) {
            throw new CheckpointFormatException("array encoding version " + version + " of parameter " + name + " is not supported");
        }
        if (in.readByte() != 0) {
            in.readUTF(); // the array's own name
        }
        in.readUTF(); // sparse format
        String dataType = in.readUTF();
        long[] shape = readShape();
        boolean littleEndian = true;
        if (version >= 3) {
            littleEndian = in.readByte() == '<';
        } else {
            littleEndian = false;
        }
        int length = in.readInt();
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
            throw new CheckpointFormatException("parameter " + name + " has an implausible length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new StoredTensor(owner, name, dataType, shape, littleEndian, bytes);
    }

    private long[] readShape() throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > 16) {
            throw new CheckpointFormatException("parameters do not match the architecture: a shape of rank " + rank);
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
        }
        int layout = in.readInt();
        if (layout < 0 || layout > 16) {
            throw new CheckpointFormatException("parameters do not match the architecture: a shape layout of " + layout);
        }
        for (int i = 0; i < layout; i++) {
            in.readChar();
        }
        return shape;
    }

    private static Class<?> declaringClassOfSaveMetadata(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                c.getDeclaredMethod("saveMetadata", java.io.DataOutputStream.class);
                return c;
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        throw new IllegalStateException(type.getName() + " does not save DJL metadata");
    }

    /** Writes {@code tensor}'s float32 values little-endian, as safetensors stores them. */
    static void writeLittleEndian(StoredTensor tensor, OutputStream out) throws IOException {
        if (tensor.littleEndian()) {
            out.write(tensor.bytes());
            return;
        }
        byte[] b = tensor.bytes();
        byte[] swapped = new byte[b.length];
        for (int i = 0; i + 3 < b.length; i += 4) {
            swapped[i] = b[i + 3];
            swapped[i + 1] = b[i + 2];
            swapped[i + 2] = b[i + 1];
            swapped[i + 3] = b[i];
        }
        out.write(swapped);
    }

    static String shapeText(long[] shape) {
        return Arrays.toString(shape);
    }
}
