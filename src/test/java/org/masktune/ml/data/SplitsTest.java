package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** 100 images of class 0 and 30 of class 1; image i's single pixel is i (so images can be traced). */
    static ImageSet set() {
        int n = 130;
        byte[] px = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;
            labels[i] = i < 100 ? 0 : 1;
        }
        return ImageSet.of(1, 1, 1, px, labels, List.of("a", "b"));
    }

    @Test
    void holdOutIsStratifiedDisjointAndComplete() {
        Splits.HoldOut h = Splits.holdOut(set(), 0.2, 42);

        // class 0: round(20.0) = 20, class 1: round(6.0) = 6
        assertEquals(26, h.validation().size());
        assertEquals(104, h.train().size());
        assertEquals(20, java.util.Arrays.stream(h.validation().labels()).filter(l -> l == 0).count());
        assertEquals(6, java.util.Arrays.stream(h.validation().labels()).filter(l -> l == 1).count());
        Set<Integer> seen = new HashSet<>();
        for (ImageSet part : List.of(h.train(), h.validation())) {
            int previous = -1;
            for (int i = 0; i < part.size(); i++) {
                int id = part.pixel(i, 0, 0, 0);
                assertTrue(seen.add(id), "image " + id + " in both parts");
                assertTrue(id > previous, "original order kept");
                previous = id;
                assertEquals(id < 100 ? 0 : 1, part.labels()[i]);
            }
        }
        assertEquals(130, seen.size());
    }

    @Test
    void holdOutIsReproducibleAndSeedDependent() {
        assertArrayEquals(Splits.holdOut(set(), 0.2, 42).validation().pixels(), Splits.holdOut(set(), 0.2, 42).validation().pixels());
        assertTrue(!java.util.Arrays.equals(Splits.holdOut(set(), 0.2, 42).validation().pixels(),
                Splits.holdOut(set(), 0.2, 43).validation().pixels()));
        assertThrows(IllegalArgumentException.class, () -> Splits.holdOut(set(), 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> Splits.holdOut(set(), 0.0, 0));
    }

    @Test
    void subsetPicksDistinctImagesInOrderAndIsANoOpWhenLargeEnough() {
        ImageSet s = Splits.subset(set(), 10, 7);

        assertEquals(10, s.size());
        for (int i = 1; i < 10; i++) {
            assertTrue(s.pixel(i, 0, 0, 0) > s.pixel(i - 1, 0, 0, 0));
        }
        assertArrayEquals(s.pixels(), Splits.subset(set(), 10, 7).pixels());
        ImageSet whole = set();
        assertSame(whole, Splits.subset(whole, 130, 7));
        assertSame(whole, Splits.subset(whole, 500, 7));
    }
}
