package org.masktune.ml.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safetensors format (Hugging Face): an unsigned 64-bit little-endian header length N, N bytes of
 * UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets relative to the data section) plus an optional {@code "__metadata__"} object of strings,
 * then the data section of raw little-endian values. Written here with tensors in the given order,
 * no whitespace and the header padded with spaces to a multiple of 8, so the same input gives the
 * same bytes.
 */
public final class Safetensors {

    /** Headers above this are refused (the format's reference reader uses 100 MB). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Safetensors() {
    }

    /** One tensor as the header describes it; offsets are relative to the data section. */
    public record Entry(String dtype, long[] shape, long begin, long end) {

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public String shapeText() {
            return Arrays.toString(shape);
        }
    }

    /** A parsed header: {@code dataStart} is the file offset of the data section. */
    public record Header(Map<String, String> metadata, Map<String, Entry> tensors, long dataStart, long fileSize) {
    }

    /** What to write: name, dtype (F32, I64) and shape. */
    public record Spec(String name, String dtype, long[] shape) {
    }

    /** Bytes per element of the dtypes this service reads and writes. */
    public static int elementSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    /**
     * Reads and checks the header of {@code file}: the JSON parses, every tensor has a known dtype,
     * a non-negative shape and offsets that match its size and lie inside the file.
     *
     * @throws SafetensorsFormatException naming what is wrong (e.g. "truncated: tensor fc.bias needs bytes up to ...")
     */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsFormatException("not a safetensors file: " + size + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long length = lengthBytes.flip().getLong();
            if (length <= 1 || length > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException("not a safetensors file: header length " + Long.toUnsignedString(length)
                        + " (expected 2.." + MAX_HEADER_BYTES + ")");
            }
            if (8 + length > size) {
                throw new SafetensorsFormatException("truncated: the header needs " + (8 + length) + " bytes, the file has " + size);
            }
            ByteBuffer json = ByteBuffer.allocate((int) length);
            readFully(channel, json, 8);
            return parseHeader(new String(json.array(), StandardCharsets.UTF_8), 8 + length, size);
        }
    }

    private static Header parseHeader(String text, long dataStart, long fileSize) throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(text.stripTrailing());
        } catch (JacksonException e) {
            throw new SafetensorsFormatException("not a safetensors file: the header is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException("not a safetensors file: the header is not a JSON object");
        }
        long dataLength = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                for (Map.Entry<String, JsonNode> m : node.properties()) {
                    metadata.put(m.getKey(), m.getValue().isString() ? m.getValue().asString() : m.getValue().toString());
                }
                continue;
            }
            String dtype = node.path("dtype").asString("");
            if (elementSize(dtype) < 0) {
                throw new SafetensorsFormatException("tensor " + name + " has an unknown dtype '" + dtype + "'");
            }
            JsonNode shapeNode = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new SafetensorsFormatException("tensor " + name + " lacks a shape or two data_offsets");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new SafetensorsFormatException("tensor " + name + " has a negative or non-numeric dimension");
                }
            }
            Entry entry = new Entry(dtype, shape, offsets.get(0).asLong(-1), offsets.get(1).asLong(-1));
            long bytes = entry.elements() * elementSize(dtype);
            if (entry.begin() < 0 || entry.end() - entry.begin() != bytes) {
                throw new SafetensorsFormatException("tensor " + name + " " + entry.shapeText() + " " + dtype + " needs " + bytes
                        + " bytes, its data_offsets give " + (entry.end() - entry.begin()));
            }
            if (entry.end() > dataLength) {
                throw new SafetensorsFormatException("truncated: tensor " + name + " needs data up to byte " + entry.end()
                        + " of the data section, which has " + dataLength + " bytes");
            }
            tensors.put(name, entry);
        }
        return new Header(metadata, tensors, dataStart, fileSize);
    }

    /** The tensor's values as float32 (F32, F64, F16 and BF16 are converted). */
    public static float[] readFloats(Path file, Header header, String name) throws IOException {
        Entry entry = header.tensors().get(name);
        if (entry == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(entry.end() - entry.begin())).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(channel, bytes, header.dataStart() + entry.begin());
        }
        bytes.flip();
        float[] values = new float[Math.toIntExact(entry.elements())];
        switch (entry.dtype()) {
            case "F32" -> bytes.asFloatBuffer().get(values);
            case "F64" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) bytes.getDouble();
                }
            }
            case "BF16" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat((bytes.getShort() & 0xFFFF) << 16);
                }
            }
            case "F16" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = halfToFloat(bytes.getShort());
                }
            }
            default -> throw new SafetensorsFormatException("tensor " + name + " is " + entry.dtype() + ", not a floating-point type");
        }
        return values;
    }

    /** Whether {@code dtype} is one {@link #readFloats} converts. */
    public static boolean isFloat(String dtype) {
        return List.of("F32", "F64", "F16", "BF16").contains(dtype);
    }

    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * Writes the 8-byte length and the JSON header for {@code tensors}, laid out back to back in the
     * given order; the caller then writes each tensor's little-endian bytes in that order.
     *
     * @return the number of data bytes the caller must write after the header
     */
    public static long writeHeader(OutputStream out, Map<String, String> metadata, List<Spec> tensors) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Spec t : tensors) {
            int size = elementSize(t.dtype());
            if (size < 0) {
                throw new IllegalArgumentException("unknown dtype " + t.dtype());
            }
            long elements = 1;
            for (long d : t.shape()) {
                elements *= d;
            }
            ObjectNode node = root.putObject(t.name());
            node.put("dtype", t.dtype());
            ArrayNode shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = node.putArray("data_offsets");
            offsets.add(offset);
            offset += elements * size;
            offsets.add(offset);
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(length.array());
        out.write(header);
        return offset;
    }

    /** An int64 scalar, little-endian. */
    static void writeLong(OutputStream out, long value) throws IOException {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new SafetensorsFormatException("truncated at byte " + at);
            }
            at += n;
        }
    }

    /** Reads exactly {@code n} bytes or fails with a truncation message. */
    static byte[] readExactly(InputStream in, int n, String what) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new SafetensorsFormatException("truncated: " + what);
        }
        return bytes;
    }
}
