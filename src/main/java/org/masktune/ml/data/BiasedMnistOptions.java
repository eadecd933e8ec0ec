package org.masktune.ml.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Parameters of {@link BiasedMnist}; {@link #defaults()} gives the paper's setting.
 *
 * @param splitDigit         digits below it are class 0, the others class 1 (default 5)
 * @param squareSize         side of the coloured square in pixels (default 4)
 * @param color              the square's RGB colour, three values 0–255 (default red 255, 0, 0)
 * @param squareX            column of the square's top-left pixel (default 0)
 * @param squareY            row of the square's top-left pixel (default 0)
 * @param trainConflictRatio fraction of each training class that contradicts the shortcut
 *                           (default 0.01, i.e. 99 % of class 0 carry the square, 1 % of class 1)
 * @param seed               seed of which images get the square (and, with {@code randomPosition}, where)
 * @param bias               what the shortcut is: a coloured patch (default), or the authors' colour biases — the
 *                           digit's background or its strokes in {@code color}
 * @param shape              the patch's shape inside its {@code squareSize} box (default a filled square)
 * @param randomPosition     the patch at a random place in each image instead of at (squareX, squareY)
 */
public record BiasedMnistOptions(int splitDigit, int squareSize, int[] color, int squareX, int squareY,
                                 double trainConflictRatio, long seed, Bias bias, PatchShape shape, boolean randomPosition) {

    /** The kind of shortcut drawn on the images of the biased class. */
    public enum Bias {
        /** A patch of {@code color} (the paper's 4 × 4 red square by default). */
        SQUARE,
        /** Every background pixel (value 0) becomes {@code color}. */
        BACKGROUND,
        /** Every stroke pixel (value above 0) becomes {@code color}. */
        FOREGROUND
    }

    /** The patch's pixels inside its square box. */
    public enum PatchShape {
        /** The whole box. */
        SQUARE,
        /** A plus sign: the middle band of rows and columns, a third of the side thick. */
        CROSS,
        /** The box's one-pixel border. */
        RING;

        /** Whether (dy, dx) of a {@code side}-pixel box belongs to the shape. */
        public boolean contains(int side, int dy, int dx) {
            return switch (this) {
                case SQUARE -> true;
                case CROSS -> {
                    int band = Math.max(1, (int) Math.round(side / 3.0));
                    int from = (side - band) / 2;
                    yield (dy >= from && dy < from + band) || (dx >= from && dx < from + band);
                }
                case RING -> dy == 0 || dx == 0 || dy == side - 1 || dx == side - 1;
            };
        }
    }

    /** The paper's kind of shortcut: a filled square at a fixed place. */
    public BiasedMnistOptions(int splitDigit, int squareSize, int[] color, int squareX, int squareY,
                              double trainConflictRatio, long seed) {
        this(splitDigit, squareSize, color, squareX, squareY, trainConflictRatio, seed, Bias.SQUARE, PatchShape.SQUARE, false);
    }

    public static final int DEFAULT_SPLIT_DIGIT = 5;
    public static final int DEFAULT_SQUARE_SIZE = 4;
    public static final double DEFAULT_TRAIN_CONFLICT_RATIO = 0.01;

    public BiasedMnistOptions {
        if (splitDigit < 1 || splitDigit > 9) {
            throw new IllegalArgumentException("splitDigit must be 1..9 (digits below it form class 0), got " + splitDigit);
        }
        if (squareSize < 1) {
            throw new IllegalArgumentException("squareSize must be at least 1 pixel, got " + squareSize);
        }
        color = color == null ? new int[] {255, 0, 0} : color.clone();
        if (color.length != 3 || Arrays.stream(color).anyMatch(v -> v < 0 || v > 255)) {
            throw new IllegalArgumentException("color must be three values 0..255 (R, G, B), got " + Arrays.toString(color));
        }
        if (squareX < 0 || squareY < 0) {
            throw new IllegalArgumentException("square position must not be negative, got (" + squareX + ", " + squareY + ")");
        }
        if (!(trainConflictRatio >= 0.0 && trainConflictRatio <= 1.0)) {
            throw new IllegalArgumentException("trainConflictRatio must be in [0, 1], got " + trainConflictRatio);
        }
        bias = bias == null ? Bias.SQUARE : bias;
        shape = shape == null ? PatchShape.SQUARE : shape;
        boolean grey = color[0] == color[1] && color[1] == color[2];
        if (grey && (bias != Bias.SQUARE || randomPosition)) {
            throw new IllegalArgumentException("a " + (randomPosition ? "randomly placed patch" : bias.name().toLowerCase() + " bias")
                    + " needs a colour that is not grey (the digits are grey), got " + Arrays.toString(color));
        }
        if (bias != Bias.SQUARE && (shape != PatchShape.SQUARE || randomPosition)) {
            throw new IllegalArgumentException("shape and randomPosition apply only to bias SQUARE, not " + bias);
        }
    }

    /** For JSON: every field optional, a missing one takes its default (not Java's 0). */
    @JsonCreator
    static BiasedMnistOptions fromJson(@JsonProperty("splitDigit") Integer splitDigit, @JsonProperty("squareSize") Integer squareSize,
                                       @JsonProperty("color") int[] color, @JsonProperty("squareX") Integer squareX,
                                       @JsonProperty("squareY") Integer squareY,
                                       @JsonProperty("trainConflictRatio") Double trainConflictRatio, @JsonProperty("seed") Long seed,
                                       @JsonProperty("bias") Bias bias, @JsonProperty("shape") PatchShape shape,
                                       @JsonProperty("randomPosition") Boolean randomPosition) {
        return new BiasedMnistOptions(splitDigit == null ? DEFAULT_SPLIT_DIGIT : splitDigit, squareSize == null ? DEFAULT_SQUARE_SIZE : squareSize,
                color, squareX == null ? 0 : squareX, squareY == null ? 0 : squareY,
                trainConflictRatio == null ? DEFAULT_TRAIN_CONFLICT_RATIO : trainConflictRatio, seed == null ? 0L : seed,
                bias, shape, randomPosition != null && randomPosition);
    }

    /** The paper's Biased MNIST: 0–4 vs 5–9, 4×4 red square at the top-left, 1 % conflicting, seed 0. */
    public static BiasedMnistOptions defaults() {
        return new BiasedMnistOptions(DEFAULT_SPLIT_DIGIT, DEFAULT_SQUARE_SIZE, new int[] {255, 0, 0}, 0, 0,
                DEFAULT_TRAIN_CONFLICT_RATIO, 0L);
    }

    public BiasedMnistOptions withTrainConflictRatio(double ratio) {
        return new BiasedMnistOptions(splitDigit, squareSize, color, squareX, squareY, ratio, seed, bias, shape, randomPosition);
    }

    public BiasedMnistOptions withSeed(long newSeed) {
        return new BiasedMnistOptions(splitDigit, squareSize, color, squareX, squareY, trainConflictRatio, newSeed, bias, shape,
                randomPosition);
    }

    /** A copy of the colour (the record keeps its own). */
    @Override
    public int[] color() {
        return color.clone();
    }

    /** The square's pixel rectangle. */
    public BiasedMnist.Region squareRegion() {
        return new BiasedMnist.Region(squareX, squareY, squareSize, squareSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BiasedMnistOptions b && splitDigit == b.splitDigit && squareSize == b.squareSize
                && Arrays.equals(color, b.color) && squareX == b.squareX && squareY == b.squareY
                && Double.compare(trainConflictRatio, b.trainConflictRatio) == 0 && seed == b.seed
                && bias == b.bias && shape == b.shape && randomPosition == b.randomPosition;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(splitDigit, squareSize, Arrays.hashCode(color), squareX, squareY, trainConflictRatio, seed,
                bias, shape, randomPosition);
    }

    @Override
    public String toString() {
        return "BiasedMnistOptions[splitDigit=" + splitDigit + ", squareSize=" + squareSize + ", color=" + Arrays.toString(color)
                + ", square at (" + squareX + ", " + squareY + "), trainConflictRatio=" + trainConflictRatio + ", seed=" + seed
                + ", bias=" + bias + ", shape=" + shape + ", randomPosition=" + randomPosition + "]";
    }
}
