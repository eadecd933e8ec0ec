package org.masktune.ml.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A network's parameters (BatchNorm running statistics included) as bytes, in DJL's own format. */
public final class ModelParameters {

    private ModelParameters() {
    }

    public static byte[] save(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Loads {@code bytes} into {@code block} (initialised or not), the arrays created by {@code manager}.
     * DJL's loader replaces each parameter's array and forgets that it needs a gradient; this closes
     * the replaced arrays and marks the new trainable ones again.
     *
     * @throws IllegalArgumentException if the bytes do not belong to this architecture
     */
    public static void load(Block block, byte[] bytes, NDManager manager) {
        List<NDArray> replaced = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                replaced.add(p.getValue().getArray());
            }
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("parameters do not fit this network: " + e.getMessage(), e);
        }
        replaced.forEach(NDArray::close);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }

    /** The manager that owns the block's parameters (where reloaded parameters should go too). */
    public static NDManager managerOf(Block block) {
        return block.getParameters().get(0).getValue().getArray().getManager();
    }
}
