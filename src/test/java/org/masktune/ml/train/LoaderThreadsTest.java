package org.masktune.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.models.Architectures;
import org.masktune.ml.models.Classifier;

/** The batch pipeline may use any number of loader threads: the images, crops, flips and losses stay the same. */
class LoaderThreadsTest {

    private static final Augmentation ALL = new Augmentation(true, 3, new Augmentation.ScaleRange(0.3, 1.0));

    @Test
    void augmentedBatchesAreTheSameWithOneAndFourThreads() {
        ImageSet set = TestImages.leftRight(70, 3, 20, 3);
        ImageSource view = set.select(IntStream.range(0, 70).map(i -> 69 - i).toArray());
        ImageBatches encoder = ImageBatches.training(Normalization.fromData(set), ALL, 1234);
        int[] order = TrainingLoop.shuffle(view.size(), 99);
        List<float[]> one = batches(view, encoder, order, 1);
        List<float[]> four = batches(view, encoder, order, 4);
        List<float[]> none = batches(view, encoder, order, 0);
        assertEquals(8, one.size());
        for (int b = 0; b < one.size(); b++) {
            assertArrayEquals(one.get(b), four.get(b), "batch " + b);
            assertArrayEquals(one.get(b), none.get(b), "batch " + b + " made on the caller's thread");
        }
    }

    private static List<float[]> batches(ImageSource set, ImageBatches encoder, int[] order, int threads) {
        List<float[]> out = new ArrayList<>();
        try (BatchPipeline pipeline = new BatchPipeline(set, encoder, order, 9, threads)) {
            for (int b = 0; b < pipeline.batches(); b++) {
                out.add(pipeline.next().pixels());
            }
            assertThrows(IllegalStateException.class, pipeline::next);
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameFirstEpochLossToTheLastBitWithOneAndFourLoaderThreads() {
        ImageSet train = TestImages.leftRight(192, 1, 28, 5);
        ImageSet validation = TestImages.leftRight(40, 1, 28, 6);
        TrainSettings settings = TrainingLoopTest.settings(1, 32, 11, ALL);
        EpochResult withOne = firstEpoch(train, validation, settings, 1);
        EpochResult withFour = firstEpoch(train, validation, settings, 4);
        assertEquals(Double.doubleToRawLongBits(withOne.trainLoss()), Double.doubleToRawLongBits(withFour.trainLoss()),
                withOne.trainLoss() + " vs " + withFour.trainLoss());
        assertEquals(Double.doubleToRawLongBits(withOne.validationLoss()), Double.doubleToRawLongBits(withFour.validationLoss()));
        assertEquals(withOne.trainAccuracy(), withFour.trainAccuracy());
    }

    private static EpochResult firstEpoch(ImageSet train, ImageSet validation, TrainSettings settings, int threads) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Classifier classifier = Architectures.build("small-cnn", 1, 2, 28).initialize(manager, 1, 28, 28);
            return TrainingLoop.fit(classifier, Normalization.fromData(train), train, validation, settings, Device.cpu(), null, null, null,
                    threads).epochs().get(0);
        }
    }
}
