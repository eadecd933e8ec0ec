package org.masktune.ml.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.masktune.ml.data.BiasedMnistOptions;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetLoader;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.LoadedDataset;
import org.masktune.ml.saliency.CamUpsampling;
import org.masktune.ml.saliency.DilationUnit;
import org.masktune.ml.saliency.MaskFill;
import org.masktune.ml.saliency.MaskRule;
import org.masktune.ml.saliency.ThresholdRule;
import tools.jackson.databind.json.JsonMapper;

/**
 * One cell of the robustness study (bench/robustness): Biased MNIST with the given shortcut, ERM as a TRAIN job
 * does it (hold-out validation, best and last checkpoints), then MaskTune from the same ERM run with each mask rule
 * asked for — masks from the best checkpoint, one fine-tune epoch from the last one with its optimiser state, as a
 * MASKTUNE job does — and the accuracy of every model on the bias-conflicting and original test splits. Prints one
 * JSON line per model on stdout.
 *
 * <pre>
 * RobustnessBenchMain --bias '{"squareSize":3,...}' [--idx DIR] [--ratio 0.0] [--seed 1] [--epochs 5]
 *                     [--subset N] [--normalization unit|dataset] [--rules paper,dilate,robust,...] [--model small-cnn]
 * </pre>
 * {@code --bias} is a BiasedMnistOptions JSON object (its trainConflictRatio and seed are set from --ratio / --seed);
 * {@code --idx} reads MNIST-layout IDX files (e.g. Fashion-MNIST) instead of the built-in digits.
 */
public final class RobustnessBenchMain {

    /** The rules the study compares, by name. */
    static final Map<String, MaskRule> RULES = new LinkedHashMap<>();

    static {
        MaskRule paper = MaskRule.paper();
        RULES.put("paper", paper);
        RULES.put("dilate", MaskRule.robust());
        RULES.put("inpaint", rule(ThresholdRule.MEAN_K_STD, CamUpsampling.BILINEAR, 0, MaskFill.INPAINT));
        RULES.put("dilate-mean", rule(ThresholdRule.MEAN_K_STD, CamUpsampling.BILINEAR, 0.5, MaskFill.DATASET_MEAN));
        RULES.put("dilate-inpaint", rule(ThresholdRule.MEAN_K_STD, CamUpsampling.BILINEAR, 0.5, MaskFill.INPAINT));
        RULES.put("region-inpaint", rule(ThresholdRule.CONNECTED_REGION, CamUpsampling.BILINEAR, 0, MaskFill.INPAINT));
        RULES.put("region-dilate-inpaint", rule(ThresholdRule.CONNECTED_REGION, CamUpsampling.BILINEAR, 0.5, MaskFill.INPAINT));
        RULES.put("nearest-inpaint", rule(ThresholdRule.MEAN_K_STD, CamUpsampling.NEAREST, 0, MaskFill.INPAINT));
    }

    private static MaskRule rule(ThresholdRule threshold, CamUpsampling upsampling, double cells, MaskFill fill) {
        return new MaskRule(threshold, 2.0, 0.05, upsampling, cells, DilationUnit.CAM_CELLS, fill);
    }

    private RobustnessBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        JsonMapper json = JsonMapper.builder().build();
        double ratio = Double.parseDouble(a.getOrDefault("ratio", "0.0"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "5"));
        String model = a.getOrDefault("model", "small-cnn");
        BiasedMnistOptions bias = json.readValue(a.getOrDefault("bias", "{}"), BiasedMnistOptions.class)
                .withTrainConflictRatio(ratio).withSeed(seed);
        Integer subset = a.containsKey("subset") ? Integer.valueOf(a.get("subset")) : null;
        LoadedDataset data = a.containsKey("idx")
                ? DatasetLoader.load(new DatasetSpec(DatasetFormat.IDX, null, "idx", null, null, null, null, bias, subset, seed),
                        Path.of(a.get("idx")))
                : DatasetLoader.load(new DatasetSpec(DatasetFormat.BUILTIN, "biased-mnist", null, null, null, null, null, bias, subset, seed),
                        (Path) null);
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("data", a.containsKey("idx") ? a.get("idx") : "built-in");
        cell.put("bias", bias);
        cell.put("ratio", ratio);
        cell.put("seed", seed);
        List<String> rules = new ArrayList<>(List.of(a.getOrDefault("rules", String.join(",", RULES.keySet())).split(",")));
        rules.removeIf(String::isBlank);
        Map<String, MaskRule> chosen = new LinkedHashMap<>();
        for (String name : rules) {
            MaskRule rule = RULES.get(name);
            if (rule == null) {
                throw new IllegalArgumentException("unknown rule " + name + "; known " + RULES.keySet());
            }
            chosen.put(name, rule);
        }
        boolean datasetNormalization = "dataset".equals(a.getOrDefault("normalization", "unit"));
        RobustnessCell.run(data, bias, model, epochs, seed, datasetNormalization, chosen, result -> {
            Map<String, Object> line = new LinkedHashMap<>(cell);
            line.putAll(result);
            System.out.println(json.writeValueAsString(line));
            System.out.flush();
        });
    }
}
