package org.masktune.ml.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeded, reproducible train/validation hold-outs and random subsets. */
public final class Splits {

    private Splits() {
    }

    /** A training set and the validation set held out of it. */
    public record HoldOut(ImageSet train, ImageSet validation) {
    }

    /**
     * Holds out {@code fraction} of {@code set} as validation, stratified by label: from every class
     * with n images, round(fraction·n) images chosen at random (seed) go to validation. Both parts keep
     * the original image order.
     */
    public static HoldOut holdOut(ImageSet set, double fraction, long seed) {
        int[][] parts = holdOutIndices(set, fraction, seed);
        return new HoldOut(set.select(parts[0]), set.select(parts[1]));
    }

    /** The same hold-out as {@link #holdOut(ImageSet, double, long)} as two views of {@code set}, nothing copied. */
    public static SourceHoldOut holdOut(ImageSource set, double fraction, long seed) {
        int[][] parts = holdOutIndices(set, fraction, seed);
        return new SourceHoldOut(set.select(parts[0]), set.select(parts[1]));
    }

    /** A training set and the validation set held out of it, as views. */
    public record SourceHoldOut(ImageSource train, ImageSource validation) {
    }

    /** {train indices, validation indices} of the stratified hold-out, each ascending. */
    static int[][] holdOutIndices(ImageSource set, double fraction, long seed) {
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("hold-out fraction must be in (0, 1), got " + fraction);
        }
        Random random = new Random(seed);
        boolean[] toValidation = new boolean[set.size()];
        for (int[] members : indicesByLabel(set.labels(), set.classes().size())) {
            shuffle(members, random);
            int k = (int) Math.round(fraction * members.length);
            for (int j = 0; j < k; j++) {
                toValidation[members[j]] = true;
            }
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int i = 0; i < toValidation.length; i++) {
            (toValidation[i] ? validation : train).add(i);
        }
        return new int[][] {toArray(train), toArray(validation)};
    }

    /** A random subset of {@code size} images (original order kept); {@code set} itself if size ≥ its size. */
    public static ImageSet subset(ImageSet set, int size, long seed) {
        if (size >= set.size()) {
            return set;
        }
        return set.select(subsetIndices(set.size(), size, seed));
    }

    /**
     * {@code min(size, n)} distinct indices in [0, n), chosen at random with {@code seed}, ascending.
     * Readers use it to pick images before decoding them.
     */
    public static int[] subsetIndices(int n, int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("subset size must be >= 0, got " + size);
        }
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        if (size >= n) {
            return all;
        }
        shuffle(all, new Random(seed));
        int[] chosen = Arrays.copyOf(all, size);
        Arrays.sort(chosen);
        return chosen;
    }

    /** Fisher–Yates with {@code java.util.Random}, whose sequence is fixed by its specification. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static int[][] indicesByLabel(int[] labels, int classes) {
        for (int label : labels) {
            classes = Math.max(classes, label + 1);
        }
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] byLabel = new int[classes][];
        for (int c = 0; c < classes; c++) {
            byLabel[c] = new int[counts[c]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            byLabel[labels[i]][fill[labels[i]]++] = i;
        }
        return byLabel;
    }

    static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
