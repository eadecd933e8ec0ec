package org.masktune.ml.interop;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.CheckpointFormatException;
import org.masktune.ml.train.ModelSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * A native checkpoint ({@link CheckpointFile}) as a safetensors file with PyTorch {@code state_dict}
 * names ({@link TorchLayout}), streamed: one tensor in memory at a time, no engine. The output depends
 * only on the checkpoint's bytes and the given metadata, so the same checkpoint always exports to the
 * same bytes (and the same SHA-256).
 *
 * <p>{@code __metadata__} holds what running the model needs: architecture, feature gate, input
 * channels and size, class names, normalisation mean and std (inputs are
 * {@code (pixel / 255 - mean[c]) / std[c]}, NCHW float32), where the PyTorch definition comes from,
 * plus the caller's provenance entries. {@code num_batches_tracked}, which DJL does not keep, is the
 * optimiser's step count (what PyTorch counts for plain training), or 0 without optimiser state.
 */
public final class SafetensorsExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SafetensorsExport() {
    }

    /** The native header of the exported checkpoint, for callers that add metadata. */
    public record Result(CheckpointFile.Header header, long bytes) {
    }

    /**
     * Reads the checkpoint from {@code nativeCheckpoint} up to its last parameter (the optimiser state
     * and CRC that follow are left unread) and writes the safetensors file to {@code out}.
     *
     * @param extraMetadata added to {@code __metadata__} after the model's own entries (e.g. checkpoint id, SHA-256, provenance)
     * @throws CheckpointFormatException when the bytes are not a checkpoint of the architecture its header names
     */
    public static Result export(InputStream nativeCheckpoint, OutputStream out, Map<String, String> extraMetadata) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(nativeCheckpoint, 1 << 16));
        try {
            CheckpointFile.Header header = CheckpointFile.readHeader(in);
            ModelSpec spec = header.spec();
            TorchLayout layout = TorchLayout.of(spec);
            Map<String, String> metadata = new LinkedHashMap<>(modelMetadata(spec));
            if (extraMetadata != null) {
                metadata.putAll(extraMetadata);
            }
            List<TorchLayout.Tensor> tensors = layout.tensors();
            List<Safetensors.Spec> specs = new ArrayList<>();
            for (TorchLayout.Tensor t : tensors) {
                specs.add(new Safetensors.Spec(t.name(), t.role() == TorchLayout.Role.PARAMETER ? "F32" : "I64", t.shape()));
            }
            long dataBytes = Safetensors.writeHeader(out, metadata, specs);
            long batches = header.optimizer() == null ? 0 : header.optimizer().steps();
            DjlParameterReader reader = new DjlParameterReader(spec.build().network(), in);
            long written = 0;
            for (TorchLayout.Tensor t : tensors) {
                if (t.role() == TorchLayout.Role.BATCH_COUNT) {
                    Safetensors.writeLong(out, batches);
                    written += 8;
                    continue;
                }
                DjlParameterReader.StoredTensor stored = reader.next();
                if (stored == null) {
                    throw new CheckpointFormatException("the checkpoint has fewer parameters than " + spec.architecture() + ": none for " + t.name());
                }
                if (!stored.name().equals(t.djlName()) || !Arrays.equals(stored.shape(), t.shape()) || !"FLOAT32".equals(stored.dataType())) {
                    throw new CheckpointFormatException("the checkpoint's parameter " + stored.name() + " " + Arrays.toString(stored.shape())
                            + " " + stored.dataType() + " does not fit " + t.name() + " " + Arrays.toString(t.shape()) + " of " + spec.architecture());
                }
                DjlParameterReader.writeLittleEndian(stored, out);
                written += stored.bytes().length;
            }
            if (reader.next() != null) {
                throw new CheckpointFormatException("the checkpoint has more parameters than " + spec.architecture() + " defines");
            }
            if (written != dataBytes) {
                throw new IllegalStateException("wrote " + written + " data bytes, the header announced " + dataBytes);
            }
            out.flush();
            return new Result(header, dataBytes);
        } catch (EOFException e) {
            throw new CheckpointFormatException("checkpoint is truncated");
        }
    }

    /** The entries that describe how to run the model. */
    public static Map<String, String> modelMetadata(ModelSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "masktune-state-dict/1");
        m.put("architecture", spec.architecture());
        m.put("revision", Integer.toString(spec.revision()));
        m.put("feature_gate", Boolean.toString(spec.featureGate()));
        m.put("pytorch_definition", pytorchDefinition(spec));
        m.put("input_channels", Integer.toString(spec.channels()));
        m.put("input_size", Integer.toString(spec.imageSize()));
        m.put("classes", Integer.toString(spec.classes()));
        m.put("class_names", JSON.writeValueAsString(spec.classNames()));
        m.put("normalization_mean", JSON.writeValueAsString(spec.normalization().mean()));
        m.put("normalization_std", JSON.writeValueAsString(spec.normalization().std()));
        m.put("input", "float32 NCHW, " + spec.channels() + "x" + spec.imageSize() + "x" + spec.imageSize()
                + ", (pixel / 255 - mean[c]) / std[c]; outputs are logits");
        return m;
    }

    private static String pytorchDefinition(ModelSpec spec) {
        boolean torchvision = spec.architecture().equals("resnet18") || spec.architecture().equals("resnet50");
        if (torchvision && !spec.featureGate() && spec.imageSize() > TorchLayout.TORCHVISION_SMALL_INPUT_MAX && spec.channels() == 3) {
            return "torchvision.models." + spec.architecture() + "(num_classes=" + spec.classes() + ")";
        }
        return "interop/pytorch/masktune_models.py: build_from_metadata(metadata)";
    }
}
