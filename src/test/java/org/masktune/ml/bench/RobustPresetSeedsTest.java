package org.masktune.ml.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.masktune.ml.data.BiasedMnistOptions;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetLoader;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.LoadedDataset;
import org.masktune.ml.saliency.MaskPreset;
import org.masktune.ml.saliency.MaskRule;

/**
 * Nightly: {@link RobustPresetTest}'s cell ("ci-big-blue-tr" of bench/robustness: a blue 6 × 6 square at the top-right
 * corner of 3,000 built-in digits, no bias-conflicting training images, small-cnn, 5 ERM epochs) on the bench's other
 * two seeds, each seeding the data, the bias and the training as {@code RobustnessBenchMain --seed} does, with
 * RobustPresetTest's thresholds. Measured here (2026-12-02, 2 cores shared with other builds, 845 s for both seeds):
 * the paper's rule 0.0 % bias-conflicting accuracy on both with square pixels left in 100 % of the images, the
 * recommended one 79.9 % (seed 2) and 42.0 % (seed 3) with 0.0 % and 0.07 % of the images keeping a square pixel.
 * The default suite runs seed 1 only (RobustPresetTest); run this with {@code mvn -B verify -Pnightly}.
 */
@Tag("nightly")
class RobustPresetSeedsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {2, 3})
    void theRecommendedRuleBeatsThePapersOnEverySeedOfTheBench(long seed) {
        BiasedMnistOptions square = new BiasedMnistOptions(5, 6, new int[] {0, 0, 255}, 22, 0, 0.0, seed);
        LoadedDataset data = DatasetLoader.load(
                new DatasetSpec(DatasetFormat.BUILTIN, "biased-mnist", null, null, null, null, null, square, 3000, seed), (Path) null);
        Map<String, MaskRule> rules = new LinkedHashMap<>();
        rules.put("paper", MaskPreset.PAPER.rule());
        rules.put("robust", MaskPreset.ROBUST.rule());
        List<Map<String, Object>> results = new ArrayList<>();

        RobustnessCell.run(data, square, "small-cnn", 5, seed, false, rules, results::add);

        results.forEach(r -> System.out.println("RobustPresetSeedsTest seed " + seed + " " + r));
        Map<String, Object> paper = results.get(1);
        Map<String, Object> robust = results.get(2);
        assertThat((double) paper.get("imagesWithResidual")).as("the paper's masks leave square pixels").isGreaterThan(0.9);
        assertThat((double) robust.get("imagesWithResidual")).as("the recommended masks leave none").isLessThanOrEqualTo(0.05);
        assertThat((double) robust.get("test-conflicting"))
                .as("bias-conflicting accuracy: recommended " + robust.get("test-conflicting") + ", paper " + paper.get("test-conflicting"))
                .isGreaterThan((double) paper.get("test-conflicting") + 0.3);
    }
}
