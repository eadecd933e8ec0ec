package org.masktune.ml.train;

import java.util.Arrays;
import org.masktune.ml.data.ImageSet;

/** A seeded random split of a training set into training and validation parts. */
public record TrainValidationSplit(ImageSet train, ImageSet validation) {

    /**
     * Holds out {@code round(fraction · size)} random images (original order kept within each part).
     *
     * @param fraction in [0, 1); 0 gives an empty validation set
     */
    public static TrainValidationSplit of(ImageSet set, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        }
        int[] order = TrainingLoop.shuffle(set.size(), ImageBatches.mix(seed, -1));
        int held = (int) Math.round(fraction * set.size());
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, order.length);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new TrainValidationSplit(set.select(train), set.select(validation));
    }
}
