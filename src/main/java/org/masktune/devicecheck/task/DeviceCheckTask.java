package org.masktune.devicecheck.task;

import org.masktune.devicecheck.DeviceCheckConfig;
import org.masktune.devicecheck.DeviceCheckResult;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.masktune.runner.JobTask;
import org.masktune.runner.JobType;
import org.masktune.runner.TaskContext;
import org.masktune.runner.TaskFailedException;

/** Child side of the device check: load libtorch, multiply matrices on the lent device, report. */
public final class DeviceCheckTask implements JobTask {


    @Override
    public JobType<DeviceCheckConfig> type() {
        return DeviceCheckConfig.TYPE;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        DeviceCheckConfig config = context.config(DeviceCheckConfig.class);
        Engine engine = Engine.getEngine("PyTorch");
        Device device = context.device();
        if (device.isGpu() && engine.getGpuCount() == 0) {
            throw new TaskFailedException("GPU_UNAVAILABLE", "a GPU was lent but libtorch sees none: is a CUDA build of libtorch installed?");
        }
        context.progress(0.1, "libtorch " + engine.getVersion() + " loaded on " + device);
        int n = config.matrixSize();
        double millis;
        try (NDManager manager = engine.newBaseManager(device)) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            a.matMul(b).sum().getFloat(); // warm-up, and forces completion on a GPU
            long start = System.nanoTime();
            for (int i = 0; i < config.repeats(); i++) {
                try (NDArray c = a.matMul(b)) {
                    c.get(0, 0).getFloat();
                }
                context.checkCancelled("during the matrix multiplies");
            }
            millis = (System.nanoTime() - start) / 1e6 / config.repeats();
        }
        double gflops = 2.0 * n * n * n / (millis / 1000.0) / 1e9;
        context.result(new DeviceCheckResult(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                device.toString(), engine.getGpuCount(), n, config.repeats(), millis, gflops,
                Integer.getInteger("ai.djl.pytorch.num_interop_threads", -1), Runtime.getRuntime().availableProcessors()));
        printFiller(config.logBytes());
        hold(context, config.holdSeconds());
    }

    /** Numbered 100-byte lines (99 characters and a newline) until {@code bytes} are printed. */
    private static void printFiller(long bytes) {
        if (bytes <= 0) {
            return;
        }
        String pad = "x".repeat(99);
        StringBuilder line = new StringBuilder(100);
        for (long written = 0, n = 0; written < bytes; n++) {
            line.setLength(0);
            line.append("filler ").append(n).append(' ');
            line.append(pad, 0, 99 - line.length());
            System.err.println(line);
            written += 100;
        }
        System.err.flush();
    }

    private static void hold(TaskContext context, int seconds) throws InterruptedException {
        long steps = seconds * 10L;
        for (long step = 1; step <= steps; step++) {
            Thread.sleep(100);
            context.checkCancelled("while holding");
            if (step % 5 == 0) {
                context.progress(0.5 + 0.5 * step / steps, "holding " + (step / 10) + "/" + seconds + " s");
            }
        }
        context.progress(1.0, "done");
    }
}
