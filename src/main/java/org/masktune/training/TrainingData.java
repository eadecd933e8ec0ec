package org.masktune.training;

import java.nio.file.Path;
import org.masktune.ml.data.DatasetLoader;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.data.LoadedDataset;
import org.masktune.ml.data.Splits;
import org.masktune.runner.TaskContext;

/**
 * The training and validation sets of a TRAIN config: the dataset's own {@code val} split, else a
 * seeded stratified hold-out of {@code train}. MaskTune and evaluation rebuild exactly the same sets
 * from the source job's config.
 */
public record TrainingData(ImageSet train, ImageSet validation, LoadedDataset dataset) {

    public static TrainingData load(TrainConfig config, TaskContext context) {
        Path root = context.inputs().containsKey(TrainTask.DATASET_ROOT_INPUT) ? context.input(TrainTask.DATASET_ROOT_INPUT) : null;
        LoadedDataset dataset = DatasetLoader.load(config.dataset(), root);
        ImageSet train = dataset.split("train");
        if (dataset.hasSplit("val")) {
            return new TrainingData(train, dataset.split("val"), dataset);
        }
        Splits.HoldOut holdOut = Splits.holdOut(train, config.training().validationFraction(), config.training().seed());
        return new TrainingData(holdOut.train(), holdOut.validation(), dataset);
    }
}
