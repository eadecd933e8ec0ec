package org.masktune.ml.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.masktune.ml.data.DatasetCache;
import org.masktune.ml.data.DatasetFormat;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.models.Architectures;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.train.Augmentation;
import org.masktune.ml.train.BatchPipeline;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.Normalization;
import org.masktune.ml.train.OptimizerKind;
import org.masktune.ml.train.ScheduleKind;
import org.masktune.ml.train.TrainSettings;
import org.masktune.ml.train.TrainingCancelledException;
import org.masktune.ml.train.TrainingListener;
import org.masktune.ml.train.TrainingLoop;

/**
 * Benchmark of the data path on a CelebA folder (bench/data-pipeline/run.sh): one JSON line per
 * measurement on stdout, everything else on stderr.
 *
 * <pre>
 * DataPipelineBenchMain build --root DIR --cache DIR [--size 224]
 *     decodes the folder into the cache (or finds it built); images/s and bytes on disk
 * DataPipelineBenchMain load  --root DIR --cache DIR [--size 224] [--threads 1] [--batch 64] [--batches 200 | --epoch]
 *     RandomResizedCrop(0.08–1) + flip + normalise through the training loop's BatchPipeline over the train
 *     split in a seeded shuffle; images/s, and the peak RSS (anonymous and file-backed) sampled every batch
 * DataPipelineBenchMain train --root DIR --cache DIR [--size 224] [--threads 1] [--batch 32] [--steps 200] [--model resnet50]
 *     SGD steps of the model on the same batches; images/s and peak RSS
 * </pre>
 */
public final class DataPipelineBenchMain {

    private DataPipelineBenchMain() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        String what = args[0];
        Path root = Path.of(arg(args, "--root", null)).toAbsolutePath();
        Path cache = Path.of(arg(args, "--cache", null)).toAbsolutePath();
        int size = Integer.parseInt(arg(args, "--size", "224"));
        int threads = Integer.parseInt(arg(args, "--threads", "1"));
        DatasetSpec spec = DatasetSpec.folder(DatasetFormat.CELEBA, root.getFileName().toString()).withImageSize(size);
        long started = System.nanoTime();
        DatasetCache.Opened opened = DatasetCache.open(spec, root, cache, (done, total) -> {
            if (done % 10_000 < 256) {
                System.err.println("decoded " + done + " / " + total);
            }
        });
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        ImageSource train = opened.dataset().split("train");
        switch (what) {
            case "build" -> {
                long images = opened.dataset().splits().values().stream().mapToLong(ImageSource::size).sum();
                out.println(String.format(Locale.ROOT, "{\"what\":\"build\",\"built\":%b,\"images\":%d,\"seconds\":%.2f,\"imagesPerSecond\":%.1f,"
                        + "\"bytesOnDisk\":%d,\"size\":%d}", opened.built(), images, buildSeconds, images / buildSeconds, du(opened.dir()), size));
            }
            case "load" -> load(out, train, threads, Integer.parseInt(arg(args, "--batch", "64")),
                    has(args, "--epoch") ? Integer.MAX_VALUE : Integer.parseInt(arg(args, "--batches", "200")));
            case "train" -> train(out, train, threads, Integer.parseInt(arg(args, "--batch", "32")),
                    Integer.parseInt(arg(args, "--steps", "200")), arg(args, "--model", "resnet50"));
            default -> throw new IllegalArgumentException("unknown command " + what);
        }
    }

    private static Normalization imageNet() {
        return Normalization.of(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    private static ImageBatches encoder(ImageSource set) {
        return ImageBatches.training(imageNet(), new Augmentation(true, 0, new Augmentation.ScaleRange(0.08, 1.0)), 7);
    }

    private static int[] order(int n) {
        int[] order = new int[n];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void load(PrintStream out, ImageSource train, int threads, int batchSize, int maxBatches) {
        long[] peak = new long[3];
        long started = System.nanoTime();
        long images = 0;
        double checksum = 0;
        try (BatchPipeline pipeline = new BatchPipeline(train, encoder(train), order(train.size()), batchSize, threads)) {
            int batches = Math.min(maxBatches, pipeline.batches());
            for (int b = 0; b < batches; b++) {
                BatchPipeline.Batch batch = pipeline.next();
                images += batch.indices().length;
                checksum += batch.pixels()[b % batch.pixels().length];
                sampleRss(peak);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.println(String.format(Locale.ROOT, "{\"what\":\"load\",\"side\":\"java\",\"threads\":%d,\"batch\":%d,\"images\":%d,\"seconds\":%.2f,"
                        + "\"imagesPerSecond\":%.1f,\"peakRssMb\":%d,\"peakRssAnonMb\":%d,\"peakRssFileMb\":%d,\"checksum\":%.3f}",
                threads, batchSize, images, seconds, images / seconds, peak[0] >> 10, peak[1] >> 10, peak[2] >> 10, checksum));
    }

    /** SGD steps through the service's own training loop (stopped by its cancellation hook), RSS sampled after every step. */
    private static void train(PrintStream out, ImageSource train, int threads, int batchSize, int steps, String model) {
        long[] peak = new long[3];
        int size = train.height();
        int warmup = 5;
        TrainSettings settings = new TrainSettings(OptimizerKind.SGD, 0.01, 0.9, 1e-4, false, ScheduleKind.CONSTANT, null, null, 1,
                batchSize, 0.1, 1L, new Augmentation(true, 0, new Augmentation.ScaleRange(0.08, 1.0)));
        long[] times = new long[2];
        int[] done = {0};
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Classifier classifier = Architectures.build(model, 3, 2, size).initialize(manager, 3, size, size);
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int batch, int batches, float loss) {
                    done[0] = batch;
                    sampleRss(peak);
                    if (batch == warmup) {
                        times[0] = System.nanoTime();
                    }
                    times[1] = System.nanoTime();
                    if (batch % 20 == 0) {
                        System.err.println("step " + batch + " loss " + loss + " rss " + (peak[0] >> 10) + " MB");
                    }
                }
            };
            try {
                TrainingLoop.fit(classifier, imageNet(), train, null, settings, Device.cpu(), listener, () -> done[0] >= warmup + steps, null,
                        threads);
            } catch (TrainingCancelledException e) {
                // stopped after the timed steps, as intended
            }
        }
        int timed = Math.max(0, done[0] - warmup);
        double seconds = (times[1] - times[0]) / 1e9;
        out.println(String.format(Locale.ROOT, "{\"what\":\"train\",\"model\":\"%s\",\"threads\":%d,\"batch\":%d,\"steps\":%d,"
                        + "\"seconds\":%.2f,\"imagesPerSecond\":%.2f,\"peakRssMb\":%d,\"peakRssAnonMb\":%d,\"peakRssFileMb\":%d}",
                model, threads, batchSize, timed, seconds, timed * batchSize / seconds, peak[0] >> 10, peak[1] >> 10, peak[2] >> 10));
    }

    /** Keeps the peak of VmRSS, RssAnon and RssFile (kB) from /proc/self/status. */
    private static void sampleRss(long[] peak) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                int k = line.startsWith("VmRSS:") ? 0 : line.startsWith("RssAnon:") ? 1 : line.startsWith("RssFile:") ? 2 : -1;
                if (k >= 0) {
                    peak[k] = Math.max(peak[k], Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException e) {
            // not Linux: no RSS
        }
    }

    private static long du(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static boolean has(String[] args, String flag) {
        return List.of(args).contains(flag);
    }

    private static String arg(String[] args, String flag, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(flag)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return fallback;
    }
}
