package org.masktune.ml.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.Autograd;
import org.masktune.ml.train.ModelSpec;

/**
 * Starting weights from a safetensors file with PyTorch names ({@link TorchLayout}): every tensor
 * outside the classifier head must be there with the model's shape, and nothing else may be; a head
 * that does not fit (another number of classes, torchvision's three-layer VGG classifier, or none at
 * all) keeps its fresh initialisation and the plan says so. {@link #check} needs no engine, so the
 * service can refuse a file at submit; {@link #load} copies the values into an initialised classifier.
 */
public final class WeightsImport {

    private WeightsImport() {
    }

    /**
     * @param replaceHead whether the head keeps its random initialisation
     * @param note        one sentence for the job's events when the head is replaced, else null
     */
    public record Plan(TorchLayout layout, boolean replaceHead, String note) {
    }

    /**
     * Checks names, shapes and dtypes of {@code header} against {@code spec}'s layout.
     *
     * @throws WeightsMismatchException naming the first offending tensor and both shapes
     */
    public static Plan check(ModelSpec spec, Safetensors.Header header) {
        return check(TorchLayout.of(spec), header, true, spec.classes());
    }

    /**
     * Only the names (they do not depend on channels, classes or image size): for a submit that does
     * not know the dataset's shape yet.
     */
    public static void checkNames(String architecture, Safetensors.Header header) {
        ModelSpec any = new ModelSpec(architecture, 3, 2, 224, org.masktune.ml.train.Normalization.unit(3), List.of(), false);
        check(TorchLayout.of(any), header, false, 2);
    }

    private static Plan check(TorchLayout layout, Safetensors.Header header, boolean shapes, int classes) {
        Map<String, Safetensors.Entry> file = header.tensors();
        List<TorchLayout.Tensor> head = new ArrayList<>();
        Set<String> expected = new java.util.HashSet<>();
        for (TorchLayout.Tensor t : layout.tensors()) {
            expected.add(t.name());
            if (layout.isHead(t.name())) {
                head.add(t);
                continue;
            }
            Safetensors.Entry entry = file.get(t.name());
            if (entry == null) {
                throw new WeightsMismatchException(t.name(), "tensor " + t.name() + " " + Arrays.toString(t.shape()) + " of "
                        + layout.architecture() + " is missing from the weights file" + hintFor(layout, file));
            }
            if (shapes && !Arrays.equals(entry.shape(), t.shape())) {
                throw new WeightsMismatchException(t.name(), "tensor " + t.name() + " has shape " + entry.shapeText()
                        + " in the weights file, " + layout.architecture() + " needs " + Arrays.toString(t.shape()) + stemHint(layout, t, entry));
            }
            boolean integer = t.role() == TorchLayout.Role.BATCH_COUNT;
            if (integer ? !entry.dtype().startsWith("I") && !entry.dtype().startsWith("U") : !Safetensors.isFloat(entry.dtype())) {
                throw new WeightsMismatchException(t.name(), "tensor " + t.name() + " is " + entry.dtype() + " in the weights file, "
                        + (integer ? "an integer type" : "a floating-point type (F32, F64, F16, BF16)") + " is needed");
            }
        }
        for (Map.Entry<String, Safetensors.Entry> e : file.entrySet()) {
            if (!expected.contains(e.getKey()) && !layout.isHead(e.getKey())) {
                throw new WeightsMismatchException(e.getKey(), "tensor " + e.getKey() + " " + e.getValue().shapeText()
                        + " in the weights file is not part of " + layout.architecture() + " (expected names like "
                        + layout.tensors().get(0).name() + ")");
            }
        }
        boolean fits = file.keySet().stream().filter(layout::isHead).count() == head.size();
        for (TorchLayout.Tensor t : head) {
            Safetensors.Entry entry = file.get(t.name());
            fits &= entry != null && (!shapes || Arrays.equals(entry.shape(), t.shape())) && Safetensors.isFloat(entry.dtype());
        }
        if (fits) {
            return new Plan(layout, false, null);
        }
        String inFile = file.entrySet().stream().filter(e -> layout.isHead(e.getKey()))
                .map(e -> e.getKey() + " " + e.getValue().shapeText()).collect(Collectors.joining(", "));
        String fresh = head.stream().map(t -> t.name() + " " + Arrays.toString(t.shape())).collect(Collectors.joining(", "));
        String note = "initialWeights: the classifier head in the file (" + (inFile.isEmpty() ? "none" : inFile)
                + ") does not fit " + classes + (classes == 1 ? " output" : " outputs") + "; replaced by a new " + fresh
                + ", initialised from the job's seed";
        return new Plan(layout, true, note);
    }

    private static String hintFor(TorchLayout layout, Map<String, Safetensors.Entry> file) {
        if (file.isEmpty()) {
            return " (the file holds no tensors)";
        }
        String first = file.keySet().iterator().next();
        return " (the file's first tensor is " + first + "; is it a state_dict of " + layout.architecture() + "?)";
    }

    private static String stemHint(TorchLayout layout, TorchLayout.Tensor t, Safetensors.Entry entry) {
        if (t.name().equals("conv1.weight") && (layout.architecture().startsWith("resnet1") || layout.architecture().equals("resnet50"))
                && t.shape().length == 4 && entry.shape().length == 4 && t.shape()[2] != entry.shape()[2]) {
            return " (images of at most " + TorchLayout.TORCHVISION_SMALL_INPUT_MAX + " px use a 3x3 stride-1 stem, larger ones"
                    + " torchvision's 7x7 one: set the dataset's imageSize above " + TorchLayout.TORCHVISION_SMALL_INPUT_MAX
                    + ", e.g. 224, to start from torchvision weights)";
        }
        return "";
    }

    /**
     * Copies the file's values into {@code classifier} (initialised, of the spec the plan was made
     * for), except the head when the plan replaces it.
     */
    public static void load(Classifier classifier, Path file, Safetensors.Header header, Plan plan) throws IOException {
        List<TorchLayout.Tensor> parameters = plan.layout().tensors().stream()
                .filter(t -> t.role() == TorchLayout.Role.PARAMETER).toList();
        List<Pair<String, Parameter>> djl = classifier.network().getParameters().stream().toList();
        if (djl.size() != parameters.size()) {
            throw new IllegalStateException(plan.layout().architecture() + " has " + djl.size() + " DJL parameters, its layout "
                    + parameters.size());
        }
        try (Autograd.NoGrad ignored = Autograd.noGrad()) {
            for (int i = 0; i < djl.size(); i++) {
                Parameter p = djl.get(i).getValue();
                TorchLayout.Tensor t = parameters.get(i);
                NDArray array = p.getArray();
                if (!p.getName().equals(t.djlName()) || !Arrays.equals(array.getShape().getShape(), t.shape())) {
                    throw new IllegalStateException("layout of " + plan.layout().architecture() + " is out of step with DJL at "
                            + t.name() + ": DJL has " + p.getName() + " " + array.getShape());
                }
                if (plan.replaceHead() && plan.layout().isHead(t.name())) {
                    continue;
                }
                array.set(FloatBuffer.wrap(Safetensors.readFloats(file, header, t.name())));
            }
        }
    }

    /** A header that lists {@code layout}'s tensors (no data): to check a stored checkpoint against a target model. */
    public static Safetensors.Header headerOf(TorchLayout layout) {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        for (TorchLayout.Tensor t : layout.tensors()) {
            tensors.put(t.name(), new Safetensors.Entry(t.role() == TorchLayout.Role.PARAMETER ? "F32" : "I64", t.shape(), 0, 0));
        }
        return new Safetensors.Header(Map.of("architecture", layout.architecture()), tensors, 0, 0);
    }

    /** The file's float tensors by name (for tests and tools). */
    public static Map<String, float[]> readAll(Path file, Safetensors.Header header) throws IOException {
        Map<String, float[]> all = new LinkedHashMap<>();
        for (Map.Entry<String, Safetensors.Entry> e : header.tensors().entrySet()) {
            if (Safetensors.isFloat(e.getValue().dtype())) {
                all.put(e.getKey(), Safetensors.readFloats(file, header, e.getKey()));
            }
        }
        return all;
    }
}
