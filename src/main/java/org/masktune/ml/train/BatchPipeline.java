package org.masktune.ml.train;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.masktune.ml.data.ImageSource;

/**
 * Decodes, augments and normalises the batches of one pass over a set on a small pool of loader
 * threads, at most {@code threads + 1} batches ahead of the consumer (a bounded queue), while the
 * model runs the batch before. Batches come out in order; each image's augmentation depends only on
 * (seed, image index), so the batches are the same whatever the thread count. With 0 threads each
 * batch is made on the caller's thread when it asks for it (no overlap with the model).
 */
public final class BatchPipeline implements AutoCloseable {

    /** Loader threads of a child JVM: system property {@code masktune.loader-threads} (0 = none), else half the cores (1..8). */
    static final String THREADS_PROPERTY = "masktune.loader-threads";

    /** One encoded batch: the images it holds and their NCHW floats. */
    public record Batch(int[] indices, float[] pixels) {
    }

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final ImageSource set;
    private final ImageBatches encoder;
    private final int[] order;
    private final int batchSize;
    private final int batches;
    private final ExecutorService pool;
    private final Deque<Future<Batch>> ahead = new ArrayDeque<>();
    private int submitted;

    public BatchPipeline(ImageSource set, ImageBatches encoder, int[] order, int batchSize, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("loader threads must be >= 0, got " + threads);
        }
        this.set = set;
        this.encoder = encoder;
        this.order = order;
        this.batchSize = batchSize;
        this.batches = (order.length + batchSize - 1) / batchSize;
        this.pool = threads == 0 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "batch-loader-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int k = 0; k < (threads == 0 ? 1 : threads + 1); k++) {
            submitNext();
        }
    }

    public static int defaultThreads() {
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Math.max(0, Integer.parseInt(configured.trim()));
        }
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 2));
    }

    public int batches() {
        return batches;
    }

    /** The next batch in order; blocks until a loader thread has made it. */
    public Batch next() {
        Future<Batch> head = ahead.poll();
        if (head == null) {
            throw new IllegalStateException("all " + batches + " batches were taken");
        }
        submitNext();
        if (pool == null) {
            ((FutureTask<Batch>) head).run();
        }
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a loader thread failed: " + e.getCause(), e.getCause());
        }
    }

    private void submitNext() {
        if (submitted >= batches) {
            return;
        }
        int b = submitted++;
        int[] indices = Arrays.copyOfRange(order, b * batchSize, Math.min(order.length, (b + 1) * batchSize));
        if (pool == null) { // made when taken, on the caller's thread (see next())
            ahead.add(new FutureTask<>(() -> new Batch(indices, encoder.encodeToArray(set, indices))));
            return;
        }
        ahead.add(pool.submit(() -> new Batch(indices, encoder.encodeToArray(set, indices))));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
