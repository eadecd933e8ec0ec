package org.masktune.runner;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Entry point of the child JVM that runs one job: {@code JobRunnerMain <spec.json>}.
 * Protocol: events go to stdout as prefixed JSON lines (everything else the JVM prints is moved to
 * stderr); stdin carries {@code cancel} lines from the parent, and its end means the parent is gone,
 * so the child exits rather than run unsupervised.
 */
public final class JobRunnerMain {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_CANCELLED = 2;
    static final int EXIT_ORPHANED = 3;
    static final int EXIT_USAGE = 64;

    private JobRunnerMain() {
    }

    public static void main(String[] args) {
        PrintStream events = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (args.length == 1 && args[0].equals("--warm-up")) {
            // unpacks (or, for a CUDA flavour, downloads) libtorch into DJL_CACHE_DIR, e.g. while building an image
            ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
            System.err.println("libtorch " + engine.getVersion() + " ready, GPUs: " + engine.getGpuCount());
            System.exit(EXIT_OK);
        }
        if (args.length != 1) {
            System.err.println("usage: JobRunnerMain <job-spec.json> | --warm-up");
            System.exit(EXIT_USAGE);
        }
        JsonMapper json = JsonMapper.builder().build();
        JobSpec spec = json.readValue(Path.of(args[0]).toFile(), JobSpec.class);
        AtomicBoolean cancel = new AtomicBoolean();
        watchParent(cancel);
        TaskContext context = new TaskContext(spec, json, events, cancel);
        System.exit(run(spec, context));
    }

    static int run(JobSpec spec, TaskContext context) {
        Map<String, JobTask> tasks = ServiceLoader.load(JobTask.class).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(t -> t.type().name(), Function.identity()));
        JobTask task = tasks.get(spec.type());
        if (task == null) {
            fail(context, "UNKNOWN_TYPE", "no task for job type " + spec.type() + " in this build (has " + tasks.keySet() + ")");
            return EXIT_FAILED;
        }
        try {
            task.run(context);
            context.emit(ChildEvent.DONE, Map.of());
            return EXIT_OK;
        } catch (JobCancelledException e) {
            context.emit(ChildEvent.CANCELLED, Map.of("message", e.getMessage()));
            return EXIT_CANCELLED;
        } catch (TaskFailedException e) {
            e.printStackTrace();
            fail(context, e.code(), e.getMessage());
            return EXIT_FAILED;
        } catch (OutOfMemoryError e) {
            e.printStackTrace();
            fail(context, "OUT_OF_MEMORY", "the job ran out of memory (" + e.getMessage() + ") with a heap of "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; give the job's JVM more (masktune.worker.child-jvm-options -Xmx)"
                    + " or less data (subsetSize, a smaller batchSize)");
            return EXIT_FAILED;
        } catch (Throwable e) {
            e.printStackTrace();
            // the message only: class names and stack traces stay in the job's output
            fail(context, "TASK_ERROR", e.getMessage() == null ? "unexpected error (" + e.getClass().getSimpleName() + ")" : e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static void fail(TaskContext context, String code, String message) {
        context.emit(ChildEvent.FAILED, Map.of("code", code, "message", String.valueOf(message)));
    }

    private static void watchParent(AtomicBoolean cancel) {
        Thread watcher = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals("cancel")) {
                        cancel.set(true);
                    }
                }
            } catch (Exception ignored) {
                // a broken pipe means the same as end of input
            }
            System.err.println("parent closed stdin; exiting");
            Runtime.getRuntime().halt(EXIT_ORPHANED);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
