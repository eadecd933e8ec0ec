package org.masktune.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bias-conflicting training images must reach training whatever the seeds, not only the validation split. */
class BiasedMnistHoldOutTest {

    @Test
    void equalDataAndTrainingSeedsKeepTheConflictingImagesInTraining() {
        ImageSet train = BuiltInDatasets.load("biased-mnist",
                new BuiltInOptions(BiasedMnistOptions.defaults().withTrainConflictRatio(0.05).withSeed(1))).split("train");
        int[] before = counts(train.groups());
        Splits.HoldOut holdOut = Splits.holdOut(train, 0.1, 1);
        int[] kept = counts(holdOut.train().groups());

        // 5 % of each class conflicts; a 10 % hold-out drawn independently keeps about 90 % of them in training
        // (it used to keep none: both drew the same permutation from new Random(1))
        for (int group : new int[] {0, 3}) {
            assertThat((double) kept[group] / before[group]).as("group " + group).isBetween(0.8, 0.97);
        }
    }

    private static int[] counts(int[] groups) {
        int[] c = new int[4];
        for (int g : groups) {
            c[g]++;
        }
        return c;
    }
}
