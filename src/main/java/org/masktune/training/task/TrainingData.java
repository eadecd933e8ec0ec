package org.masktune.training.task;

import org.masktune.training.TrainConfig;
import java.nio.file.Path;
import org.masktune.datasets.StagedDataset;
import org.masktune.ml.data.DatasetCache;
import org.masktune.ml.data.DatasetLoader;
import org.masktune.ml.data.DatasetSource;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.data.Splits;
import org.masktune.runner.TaskContext;

/**
 * The training and validation sets of a TRAIN config: the dataset's own {@code val} split, else a
 * seeded stratified hold-out of {@code train}. MaskTune and evaluation rebuild exactly the same sets
 * from the source job's config.
 *
 * <p>Folder datasets are read from the decoded cache the service staged
 * ({@link StagedDataset#cacheDir()}), built first when it is missing (reported as progress), so
 * the sets are memory-mapped and the heap does not hold them. {@link #trainSource()},
 * {@link #validationSource()} and {@link #datasetSource()} are these views; every job type (TRAIN,
 * MASKTUNE's masking and fine-tune, EVALUATE) reads them batch by batch, none copies them.
 */
public final class TrainingData {

    private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;

    private final ImageSource train;
    private final ImageSource validation;
    private final DatasetSource dataset;

    public TrainingData(ImageSource train, ImageSource validation, DatasetSource dataset) {
        this.train = train;
        this.validation = validation;
        this.dataset = dataset;
    }

    public static TrainingData load(TrainConfig config, TaskContext context) {
        StagedDataset staged = StagedDataset.from(context.inputs());
        Path root = staged.root();
        DatasetSource dataset;
        if (root != null && staged.cacheDir() != null) {
            long[] last = {0};
            dataset = DatasetCache.open(config.dataset(), root, staged.cacheDir(), (done, total) -> {
                context.checkCancelled("while preparing the dataset"); // the half-built cache is left aside, never read
                long now = System.nanoTime();
                synchronized (last) {
                    if (now - last[0] < PROGRESS_INTERVAL_NANOS && done < total) {
                        return;
                    }
                    last[0] = now;
                }
                context.progress(0, String.format("preparing the dataset: decoded %d of %d images into the cache", done, total));
            }).dataset();
        } else {
            dataset = DatasetSource.of(DatasetLoader.load(config.dataset(), root));
        }
        ImageSource train = dataset.split("train");
        if (dataset.hasSplit("val")) {
            return new TrainingData(train, dataset.split("val"), dataset);
        }
        Splits.SourceHoldOut holdOut = Splits.holdOut(train, config.training().validationFraction(), config.training().seed());
        return new TrainingData(holdOut.train(), holdOut.validation(), dataset);
    }

    /** The training images, as read (memory-mapped for cached folder datasets). */
    public ImageSource trainSource() {
        return train;
    }

    public ImageSource validationSource() {
        return validation;
    }

    public DatasetSource datasetSource() {
        return dataset;
    }
}
