package org.masktune.ml.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Biased MNIST (MaskTune §3): digits below {@code splitDigit} are class 0, the rest class 1; images
 * become RGB (grey copied to all channels) and a coloured square is the spurious feature. With
 * conflict ratio r, exactly round(r·n₀) class-0 images go without the square and exactly
 * round(r·n₁) class-1 images get it (chosen at random with the options' seed); all other class-0
 * images carry it and class-1 images do not. Group = 2·hasSquare + label.
 */
public final class BiasedMnist {

    /** Group names, index = 2·hasSquare + label. */
    public static final List<String> GROUP_NAMES = List.of("class0/no-square", "class1/no-square", "class0/square", "class1/square");

    /** The splits of every Biased MNIST dataset (see {@link #build(String, ImageSet, ImageSet)}). */
    public static final List<String> SPLIT_NAMES = List.of("train", "test-conflicting", "test-original", "test");

    /** A pixel rectangle: columns x..x+width-1, rows y..y+height-1. */
    public record Region(int x, int y, int width, int height) {

        public boolean contains(int px, int py) {
            return px >= x && px < x + width && py >= y && py < y + height;
        }
    }

    /** Mixed into the seed that picks the bias-conflicting images, so that no training seed shuffles them alike. */
    static final long CONFLICT_SEED_SALT = 0x6D61736B74756E65L; // "masktune"

    private final BiasedMnistOptions options;

    public BiasedMnist(BiasedMnistOptions options) {
        this.options = options;
    }

    public BiasedMnistOptions options() {
        return options;
    }

    /** The square's pixel rectangle, so masking code can measure whether a mask hit it. */
    public Region squareRegion() {
        return options.squareRegion();
    }

    /**
     * True for the groups that follow the shortcut: class 0 with the square (group 2) and class 1
     * without it (group 1). Groups 0 and 3 are bias-conflicting.
     */
    public static boolean isBiasAligned(int group) {
        if (group < 0 || group > 3) {
            throw new IllegalArgumentException("Biased MNIST groups are 0..3, got " + group);
        }
        return group == 2 || group == 1;
    }

    /**
     * Biased MNIST over grey digits that have a "train" and a "test" split: the built-in mnist-10k,
     * or MNIST IDX files (train-* and t10k-*). Both paths come through here, so the same digits and
     * options give the same images. With {@code imageSize} the digits are resized <em>before</em>
     * the square is drawn, so the square keeps its exact size, colour and position; null keeps
     * their size. The splits are those of {@link #build(String, ImageSet, ImageSet)}.
     */
    public LoadedDataset build(String name, LoadedDataset digits, Integer imageSize) {
        if (!digits.hasSplit("train") || !digits.hasSplit("test")) {
            throw new IllegalArgumentException("Biased MNIST needs digits with a train and a test split (IDX: the train-* and t10k-* files); '"
                    + digits.name() + "' has " + digits.splitNames());
        }
        LoadedDataset grey = imageSize == null ? digits : digits.mapSplits(set -> ImageResizer.resize(set, imageSize, imageSize));
        return build(name, grey.split("train"), grey.split("test"));
    }

    /**
     * The splits of a Biased MNIST dataset built from grey digit sets: "train" (conflict ratio
     * {@code trainConflictRatio}), "test-conflicting" (ratio 1: every class-1 image has the square,
     * no class-0 image has), "test-original" (no squares) and "test" (= test-conflicting).
     */
    public LoadedDataset build(String name, ImageSet trainDigits, ImageSet testDigits) {
        Map<String, ImageSet> splits = new LinkedHashMap<>();
        ImageSet conflicting = apply(testDigits, 1.0);
        splits.put("train", apply(trainDigits, options.trainConflictRatio()));
        splits.put("test-conflicting", conflicting);
        splits.put("test-original", withoutSquares(testDigits));
        splits.put("test", conflicting);
        return new LoadedDataset(name, splits);
    }

    /** Relabels, colours and squares {@code digits} with conflict ratio {@code conflictRatio}. */
    public ImageSet apply(ImageSet digits, double conflictRatio) {
        if (!(conflictRatio >= 0.0 && conflictRatio <= 1.0)) {
            throw new IllegalArgumentException("conflict ratio must be in [0, 1], got " + conflictRatio);
        }
        int[] labels = binaryLabels(digits);
        boolean[] square = new boolean[labels.length];
        // Salted: the training hold-out shuffles each class with new Random(training seed) the same way, so with equal
        // seeds every bias-conflicting training image used to land in the validation split.
        Random random = new Random(options.seed() ^ CONFLICT_SEED_SALT);
        int[][] byClass = Splits.indicesByLabel(labels, 2);
        for (int cls = 0; cls < 2; cls++) {
            int[] members = byClass[cls];
            int conflicting = (int) Math.round(conflictRatio * members.length);
            Splits.shuffle(members, random);
            for (int k = 0; k < members.length; k++) {
                boolean isConflicting = k < conflicting;
                // class 0 follows the shortcut with the square, class 1 without it
                square[members[k]] = (cls == 0) != isConflicting;
            }
        }
        return render(digits, labels, square);
    }

    /** "test-original": the digits relabelled and in RGB, no squares; group = label. */
    public ImageSet withoutSquares(ImageSet digits) {
        int[] labels = binaryLabels(digits);
        return render(digits, labels, new boolean[labels.length]);
    }

    private int[] binaryLabels(ImageSet digits) {
        if (digits.channels() != 1) {
            throw new IllegalArgumentException("Biased MNIST needs grey digit images, got " + digits.channels() + " channels");
        }
        if (options.splitDigit() >= digits.classes().size()) {
            throw new IllegalArgumentException("splitDigit " + options.splitDigit() + " leaves class 1 empty: the set has "
                    + digits.classes().size() + " classes");
        }
        Region r = squareRegion();
        if (r.x() + r.width() > digits.width() || r.y() + r.height() > digits.height()) {
            throw new IllegalArgumentException("square " + r + " does not fit in " + digits.width() + "x" + digits.height() + " images");
        }
        int[] labels = new int[digits.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = digits.labels()[i] < options.splitDigit() ? 0 : 1;
        }
        return labels;
    }

    private ImageSet render(ImageSet digits, int[] labels, boolean[] square) {
        int h = digits.height();
        int w = digits.width();
        int plane = h * w;
        byte[] out = new byte[labels.length * 3 * plane];
        int[] groups = new int[labels.length];
        int[] color = options.color();
        for (int i = 0; i < labels.length; i++) {
            int base = i * 3 * plane;
            for (int c = 0; c < 3; c++) {
                System.arraycopy(digits.pixels(), i * plane, out, base + c * plane, plane);
            }
            if (square[i]) {
                boolean[] where = shortcutPixels(digits.pixels(), i * plane, h, w, i);
                for (int p = 0; p < plane; p++) {
                    if (where[p]) {
                        for (int c = 0; c < 3; c++) {
                            out[base + c * plane + p] = (byte) color[c];
                        }
                    }
                }
            }
            groups[i] = 2 * (square[i] ? 1 : 0) + labels[i];
        }
        int s = options.splitDigit();
        int last = digits.classes().size() - 1;
        List<String> classes = List.of(range(0, s - 1), range(s, last));
        return new ImageSet(3, h, w, out, labels, groups, classes, GROUP_NAMES, null, List.of());
    }

    /** The pixels that image {@code i} (grey, at {@code offset}) gets in the shortcut's colour when it carries it. */
    private boolean[] shortcutPixels(byte[] grey, int offset, int h, int w, int i) {
        boolean[] where = new boolean[h * w];
        switch (options.bias()) {
            case BACKGROUND, FOREGROUND -> {
                boolean background = options.bias() == BiasedMnistOptions.Bias.BACKGROUND;
                for (int p = 0; p < where.length; p++) {
                    where[p] = (grey[offset + p] == 0) == background;
                }
            }
            case SQUARE -> {
                return patchPixels(i, h, w);
            }
        }
        return where;
    }

    /** The pixels of image {@code i}'s patch: its shape inside its box. */
    private boolean[] patchPixels(int i, int h, int w) {
        boolean[] where = new boolean[h * w];
        Region r = patchRegion(i, h, w);
        int side = options.squareSize();
        for (int dy = 0; dy < side; dy++) {
            for (int dx = 0; dx < side; dx++) {
                if (options.shape().contains(side, dy, dx)) {
                    where[(r.y() + dy) * w + r.x() + dx] = true;
                }
            }
        }
        return where;
    }

    /**
     * The patch's box in image {@code i}: at (squareX, squareY), or with {@code randomPosition} at a place drawn from
     * (seed, i) alone, so the same image always gets the same place.
     */
    Region patchRegion(int i, int h, int w) {
        int side = options.squareSize();
        if (!options.randomPosition()) {
            return options.squareRegion();
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + i);
        return new Region(random.nextInt(w - side + 1), random.nextInt(h - side + 1), side, side);
    }

    /**
     * Where the shortcut lies in the images of a split this transform produced (groups 2 and 3 carry it), read from
     * the images themselves so that it holds for any subset or reordering of the split: a patch or colour bias is
     * exactly the pixels of the (non-grey) shortcut colour. Images without it are compared at the place a fixed patch
     * would take, at their background (BACKGROUND) or strokes (FOREGROUND), or for a randomly placed patch at a place
     * drawn from their index.
     */
    public SpuriousRegions spuriousRegions(ImageSource split) {
        if (!split.hasGroups() || split.channels() != 3) {
            throw new IllegalArgumentException("not a Biased MNIST split: " + split);
        }
        int[] color = options.color();
        boolean grey = color[0] == color[1] && color[1] == color[2];
        int h = split.height();
        int w = split.width();
        int plane = h * w;
        return new SpuriousRegions() {
            @Override
            public boolean carries(int i) {
                return split.groups()[i] >= 2;
            }

            @Override
            public boolean[] pixels(int i) {
                boolean[] where = new boolean[plane];
                int base = 0;
                byte[] px = new byte[split.imageBytes()];
                split.read(i, px, 0); // one image: the split may be memory-mapped
                if (carries(i) && !grey) {
                    for (int p = 0; p < plane; p++) {
                        where[p] = (px[base + p] & 0xFF) == color[0] && (px[base + plane + p] & 0xFF) == color[1]
                                && (px[base + 2 * plane + p] & 0xFF) == color[2];
                    }
                    return where;
                }
                if (options.bias() != BiasedMnistOptions.Bias.SQUARE) {
                    boolean background = options.bias() == BiasedMnistOptions.Bias.BACKGROUND;
                    for (int p = 0; p < plane; p++) {
                        boolean black = px[base + p] == 0 && px[base + plane + p] == 0 && px[base + 2 * plane + p] == 0;
                        where[p] = black == background;
                    }
                    return where;
                }
                return patchPixels(i, h, w);
            }
        };
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
