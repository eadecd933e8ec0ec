package org.masktune.ml.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.masktune.ml.data.BuiltInDatasets;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.models.Classifier;
import org.masktune.ml.saliency.DatasetMasker;
import org.masktune.ml.saliency.MaskingOptions;
import org.masktune.ml.saliency.MaskingResult;
import org.masktune.ml.saliency.MaskingStrategy;
import org.masktune.ml.train.Augmentation;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.ModelSpec;
import org.masktune.ml.train.Normalization;
import org.masktune.ml.train.OptimizerKind;
import org.masktune.ml.train.ScheduleKind;
import org.masktune.ml.train.TrainSettings;
import org.masktune.ml.train.TrainingCancelledException;
import org.masktune.ml.train.TrainingListener;
import org.masktune.ml.train.TrainingLoop;

/**
 * Command-line benchmark of the ML core, no Spring, no HTTP: trains through {@link TrainingLoop#fit} (the
 * service's own loop) or masks through {@link DatasetMasker#mask}, and prints one JSON line with images/s
 * and RSS on stdout (everything else the JVM prints goes to stderr).
 *
 * <pre>
 * TrainBenchMain --model small-cnn|resnet32 --what train|mask [--batch 128] [--warmup-steps 30] [--steps 100]
 *                [--threads N] [--images N] [--rss-trace K] [--data biased-mnist|random] [--seed 42]
 *                [--profile trace.json] [--repeat 3]
 * </pre>
 *
 * <p>train: small-cnn on 28×28×3 (biased-mnist by default), resnet32 on 32×32×3 random uint8; SGD lr 0.01,
 * momentum 0.9, weight decay 1e-4, constant rate, no augmentation, no validation. The set is cut (or
 * tiled) to whole batches; an epoch is at most {@value #MAX_STEPS_PER_EPOCH} steps and the run is stopped
 * after warm-up + timed steps through the loop's cancellation hook. Timing starts at the end of the last
 * warm-up step and stops at the end of the last timed step. {@code --rss-trace K} prints a JSON line with
 * the RSS every K steps.
 *
 * <p>mask: xGradCAM, τ = μ + 2σ, zeroing, over {@code --images} images in batches of {@code --batch}, with a
 * freshly initialised model; {@code --warmup-steps} batches are masked first, untimed; the whole set is
 * then masked {@code --repeat} times (default 3) and the median time is reported (all rates are listed).
 *
 * <p>{@code --profile FILE} records libtorch's autograd profiler over the timed part (a Chrome trace;
 * summarise it with bench/vs-pytorch/trace_summary.py). It slows the run: do not compare its images/s.
 *
 * <p>{@code --threads N} sets {@code ai.djl.pytorch.num_threads} and {@code num_interop_threads} unless they
 * were given with -D.
 */
public final class TrainBenchMain {

    static final int MAX_STEPS_PER_EPOCH = 250;

    record Options(String model, String what, int batch, int warmupSteps, int steps, int threads, int images,
                   int rssTrace, String data, long seed, String profile, int repeat) {
    }

    private TrainBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: TrainBenchMain --model small-cnn|resnet32 --what train|mask [--batch 128] "
                    + "[--warmup-steps 30] [--steps 100] [--threads N] [--images N] [--rss-trace K] "
                    + "[--data biased-mnist|random] [--seed 42] [--profile trace.json] [--repeat 3]");
            System.exit(64);
            return;
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (options.threads() > 0) {
            setIfAbsent("ai.djl.pytorch.num_threads", options.threads());
            setIfAbsent("ai.djl.pytorch.num_interop_threads", options.threads());
        }
        Engine.getEngine("PyTorch");
        String json = options.what().equals("train") ? train(options, out) : mask(options);
        out.println(json);
        out.flush();
        System.exit(0);
    }

    static Options parse(String[] args) {
        String model = null;
        String what = "train";
        int batch = 128;
        int warmup = 30;
        int steps = 100;
        int threads = 0;
        int images = 0;
        int rssTrace = 0;
        String data = null;
        long seed = 42;
        String profile = null;
        int repeat = 3;
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + key);
            }
            String value = args[++i];
            switch (key) {
                case "--model" -> model = value;
                case "--what" -> what = value;
                case "--batch" -> batch = positive(key, value);
                case "--warmup-steps" -> warmup = Integer.parseInt(value);
                case "--steps" -> steps = positive(key, value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--images" -> images = positive(key, value);
                case "--rss-trace" -> rssTrace = Integer.parseInt(value);
                case "--data" -> data = value;
                case "--seed" -> seed = Long.parseLong(value);
                case "--profile" -> profile = value;
                case "--repeat" -> repeat = positive(key, value);
                default -> throw new IllegalArgumentException("unknown option " + key);
            }
        }
        if (!"small-cnn".equals(model) && !"resnet32".equals(model)) {
            throw new IllegalArgumentException("--model must be small-cnn or resnet32, got " + model);
        }
        if (!what.equals("train") && !what.equals("mask")) {
            throw new IllegalArgumentException("--what must be train or mask, got " + what);
        }
        if (warmup < 0 || rssTrace < 0) {
            throw new IllegalArgumentException("--warmup-steps and --rss-trace must be >= 0");
        }
        if (data == null) {
            data = model.equals("small-cnn") ? "biased-mnist" : "random";
        }
        if (!data.equals("biased-mnist") && !data.equals("random")) {
            throw new IllegalArgumentException("--data must be biased-mnist or random, got " + data);
        }
        if (data.equals("biased-mnist") && !model.equals("small-cnn")) {
            throw new IllegalArgumentException("biased-mnist is 28x28, for small-cnn only");
        }
        if (images == 0) {
            images = 8 * batch;
        }
        return new Options(model, what, batch, warmup, steps, threads, images, rssTrace, data, seed, profile, repeat);
    }

    private static int positive(String key, String value) {
        int v = Integer.parseInt(value);
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be >= 1, got " + v);
        }
        return v;
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }

    // ---------------------------------------------------------------- train

    static String train(Options o, PrintStream out) {
        int total = o.warmupSteps() + o.steps();
        int stepsPerEpoch = Math.min(total, MAX_STEPS_PER_EPOCH);
        int epochs = (total + stepsPerEpoch - 1) / stepsPerEpoch;
        ImageSet train = images(o, stepsPerEpoch * o.batch());
        Normalization normalization = Normalization.fromData(train);
        TrainSettings settings = new TrainSettings(OptimizerKind.SGD, 0.01, 0.9, 1e-4, false, ScheduleKind.CONSTANT,
                List.of(), 0.1, epochs, o.batch(), 0.0, o.seed(), Augmentation.none());
        long[] stepEnds = new long[total + 1];
        int[] step = {0};
        float[] lastLoss = {Float.NaN};
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batches, float loss) {
                step[0]++;
                stepEnds[step[0]] = System.nanoTime();
                if (o.profile() != null && step[0] == o.warmupSteps()) {
                    JniUtils.startProfile(false, false, false);
                } else if (o.profile() != null && step[0] == total) {
                    JniUtils.stopProfile(o.profile());
                }
                lastLoss[0] = loss;
                if (o.rssTrace() > 0 && step[0] % o.rssTrace() == 0) {
                    long[] rss = Rss.read();
                    Runtime rt = Runtime.getRuntime();
                    out.println(String.format(Locale.ROOT,
                            "{\"trace\":\"rss\",\"step\":%d,\"rss_mb\":%.1f,\"peak_rss_mb\":%.1f,\"heap_used_mb\":%.1f,\"loss\":%.4f}",
                            step[0], rss[0] / 1024.0, rss[1] / 1024.0, (rt.totalMemory() - rt.freeMemory()) / 1048576.0, loss));
                }
            }
        };
        Device device = Device.cpu();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) o.seed());
            Classifier classifier = ModelSpec.forData(o.model(), train, normalization).newClassifier(manager);
            stepEnds[0] = System.nanoTime();
            try {
                TrainingLoop.fit(classifier, normalization, train, null, settings, device, listener,
                        () -> step[0] >= total, null);
            } catch (TrainingCancelledException expected) {
                // the bench stops the loop here after warm-up + timed steps
            }
        }
        if (step[0] != total) {
            throw new IllegalStateException("ran " + step[0] + " steps, expected " + total);
        }
        long[] rss = Rss.read();
        double seconds = (stepEnds[total] - stepEnds[o.warmupSteps()]) / 1e9;
        double[] stepMs = new double[o.steps()];
        for (int s = 0; s < o.steps(); s++) {
            stepMs[s] = (stepEnds[o.warmupSteps() + s + 1] - stepEnds[o.warmupSteps() + s]) / 1e6;
        }
        Arrays.sort(stepMs);
        return String.format(Locale.ROOT,
                "{\"side\":\"djl\",\"what\":\"train\",\"model\":\"%s\",\"data\":\"%s\",\"batch\":%d,\"threads\":%d,"
                        + "\"warmup_steps\":%d,\"steps\":%d,\"seconds\":%.3f,\"images_per_s\":%.2f,\"step_ms_median\":%.2f,"
                        + "\"step_ms_mean\":%.2f,\"final_loss\":%.4f,\"peak_rss_mb\":%.1f,\"rss_mb\":%.1f,\"torch\":\"%s\"}",
                o.model(), o.data(), o.batch(), JniUtils.getNumThreads(), o.warmupSteps(), o.steps(), seconds,
                o.steps() * o.batch() / seconds, stepMs[stepMs.length / 2], seconds * 1000 / o.steps(), lastLoss[0],
                rss[1] / 1024.0, rss[0] / 1024.0, Engine.getInstance().getVersion());
    }

    // ---------------------------------------------------------------- mask

    static String mask(Options o) {
        ImageSet set = images(o, o.images());
        Normalization normalization = Normalization.fromData(set);
        Device device = Device.cpu();
        MaskingOptions maskingOptions = MaskingOptions.defaults(MaskingStrategy.XGRADCAM).withPreviewCount(0);
        ImageBatches encoder = ImageBatches.evaluation(normalization);
        double seconds;
        double[] repeats;
        MaskingResult result;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) o.seed());
            Classifier classifier = ModelSpec.forData(o.model(), set, normalization).newClassifier(manager);
            if (o.warmupSteps() > 0) {
                int warm = Math.min(set.size(), o.warmupSteps() * o.batch());
                int[] first = new int[warm];
                Arrays.setAll(first, i -> i);
                DatasetMasker.mask(classifier, set.select(first), encoder, device, o.batch(), maskingOptions);
            }
            if (o.profile() != null) {
                JniUtils.startProfile(false, false, false);
            }
            double[] runs = new double[o.repeat()];
            result = null;
            for (int r = 0; r < runs.length; r++) {
                long start = System.nanoTime();
                result = DatasetMasker.mask(classifier, set, encoder, device, o.batch(), maskingOptions);
                runs[r] = (System.nanoTime() - start) / 1e9;
            }
            if (o.profile() != null) {
                JniUtils.stopProfile(o.profile());
            }
            seconds = median(runs);
            repeats = runs;
        }
        long[] rss = Rss.read();
        return String.format(Locale.ROOT,
                "{\"side\":\"djl\",\"what\":\"mask\",\"model\":\"%s\",\"data\":\"%s\",\"batch\":%d,\"threads\":%d,"
                        + "\"images\":%d,\"repeat\":%d,\"seconds\":%.3f,\"images_per_s\":%.2f,\"images_per_s_runs\":%s,"
                        + "\"masked_fraction_mean\":%.4f,"
                        + "\"peak_rss_mb\":%.1f,\"rss_mb\":%.1f,\"torch\":\"%s\"}",
                o.model(), o.data(), o.batch(), JniUtils.getNumThreads(), set.size(), o.repeat(), seconds,
                set.size() / seconds, rates(set.size(), repeats), result.stats().mean(), rss[1] / 1024.0, rss[0] / 1024.0, Engine.getInstance().getVersion());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String rates(int images, double[] seconds) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < seconds.length; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", images / seconds[i]));
        }
        return json.append(']').toString();
    }

    // ---------------------------------------------------------------- data

    /** {@code count} images for the model: biased-mnist's train split tiled/cut, or random uint8. */
    static ImageSet images(Options o, int count) {
        if (o.data().equals("biased-mnist")) {
            ImageSet source = BuiltInDatasets.load(BuiltInDatasets.BIASED_MNIST).split("train");
            int[] indices = new int[count];
            Arrays.setAll(indices, i -> i % source.size());
            return source.select(indices);
        }
        int side = o.model().equals("small-cnn") ? 28 : 32;
        int classes = o.model().equals("small-cnn") ? 2 : 10;
        SplittableRandom random = new SplittableRandom(o.seed());
        byte[] pixels = new byte[count * 3 * side * side];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[count];
        Arrays.setAll(labels, i -> random.nextInt(classes));
        List<String> names = java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
        return ImageSet.of(3, side, side, pixels, labels, names);
    }

    /** {current RSS, peak RSS} in kB from /proc/self/status (VmRSS, VmHWM); -1 where unavailable. */
    static final class Rss {
        private Rss() {
        }

        static long[] read() {
            long rss = -1;
            long hwm = -1;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kilobytes(line);
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = kilobytes(line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: leave -1
            }
            return new long[] {rss, hwm};
        }

        private static long kilobytes(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }
}
