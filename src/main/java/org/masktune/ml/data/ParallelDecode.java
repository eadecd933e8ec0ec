package org.masktune.ml.data;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Runs per-image work in parallel; a failure names the first failing image in index order, whatever thread found it. */
final class ParallelDecode {

    private ParallelDecode() {
    }

    static void forEach(int count, IntConsumer work) {
        AtomicInteger firstFailed = new AtomicInteger(Integer.MAX_VALUE);
        RuntimeException[] failures = new RuntimeException[1];
        IntStream.range(0, count).parallel().forEach(k -> {
            if (k > firstFailed.get()) {
                return; // a file before this one already failed: that one is reported
            }
            try {
                work.accept(k);
            } catch (RuntimeException e) {
                synchronized (failures) {
                    if (k < firstFailed.get()) {
                        firstFailed.set(k);
                        failures[0] = e;
                    }
                }
            }
        });
        if (failures[0] != null) {
            throw failures[0];
        }
    }
}
