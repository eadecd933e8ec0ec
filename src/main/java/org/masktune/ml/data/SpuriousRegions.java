package org.masktune.ml.data;

/**
 * Where a dataset's known shortcut lies in each image of one split, for measuring what a mask removed.
 * Row-major {@code height × width} pixel masks.
 */
public interface SpuriousRegions {

    /** Whether image {@code i} carries the shortcut. */
    boolean carries(int i);

    /**
     * The shortcut's pixels in image {@code i} when it carries it; otherwise where it would lie (for a patch at a
     * fixed position, the same pixels; for a colour bias, the pixels that would be coloured), so that the content of
     * that place can be compared between images that carry it and images that do not.
     */
    boolean[] pixels(int i);
}
