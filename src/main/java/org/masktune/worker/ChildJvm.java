package org.masktune.worker;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import org.masktune.runner.ChildEvent;
import org.masktune.runner.JobRunnerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts {@link JobRunnerMain} in a fresh JVM from this service's own classpath (or its Boot jar),
 * pumps its events to a consumer, relays cancellation on its stdin and kills it when it does not
 * stop within the grace period.
 */
public final class ChildJvm {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final int STDERR_TAIL_LINES = 40;

    /** How a child ended: its exit code, the terminal protocol event (null if it died first), its stderr tail. */
    public record Outcome(int exitCode, ChildEvent terminalEvent, String stderrTail, boolean cancelSent, boolean stalled) {
        public Outcome(int exitCode, ChildEvent terminalEvent, String stderrTail, boolean cancelSent) {
            this(exitCode, terminalEvent, stderrTail, cancelSent, false);
        }
    }

    /** A child that prints nothing for this long is taken as hung and killed ({@code masktune.worker.stall-timeout}). */
    private Duration stallTimeout = Duration.ofMinutes(15);

    /** Sets the stall timeout (see {@link #stallTimeout}); zero or negative turns stall detection off. */
    public ChildJvm withStallTimeout(Duration timeout) {
        this.stallTimeout = timeout;
        return this;
    }

    /** When true, the service is stopping: running children are cancelled like a user cancel, with {@link #shutdownGrace}. */
    private BooleanSupplier shuttingDown = () -> false;
    private Duration shutdownGrace;

    /**
     * On shutdown ({@code shuttingDown} turns true) every running child gets the same {@code cancel} line as for a user's
     * cancel, so it stops at its next batch, and is killed when it has not stopped after the shorter of the cancel grace
     * and {@code grace}.
     */
    public ChildJvm withShutdown(BooleanSupplier shuttingDown, Duration grace) {
        this.shuttingDown = shuttingDown;
        this.shutdownGrace = grace;
        return this;
    }

    private final List<String> jvmOptions;
    private final Duration pollInterval;
    private final Duration cancelGrace;
    private final JsonMapper json;

    public ChildJvm(String jvmOptions, Duration pollInterval, Duration cancelGrace, JsonMapper json) {
        this.jvmOptions = jvmOptions == null || jvmOptions.isBlank() ? List.of() : Arrays.asList(jvmOptions.trim().split("\\s+"));
        this.pollInterval = pollInterval;
        this.cancelGrace = cancelGrace;
        this.json = json;
    }

    public Outcome run(Path specFile, Integer gpuIndex, Consumer<ChildEvent> events, BooleanSupplier cancelRequested)
            throws IOException, InterruptedException {
        return run(specFile, gpuIndex, events, cancelRequested, line -> { });
    }

    /**
     * As {@link #run(Path, Integer, Consumer, BooleanSupplier)}; every line of the child's stderr and every
     * stdout line that is not a protocol event also goes to {@code log} (the job's log).
     */
    public Outcome run(Path specFile, Integer gpuIndex, Consumer<ChildEvent> events, BooleanSupplier cancelRequested,
            Consumer<String> log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(specFile));
        configureEnvironment(builder.environment(), gpuIndex);
        Process process = builder.start();
        Deque<String> stderrTail = new ArrayDeque<>();
        Thread stderrPump = new Thread(() -> pumpLines(process.getErrorStream(), line -> {
            synchronized (stderrTail) {
                stderrTail.addLast(line);
                if (stderrTail.size() > STDERR_TAIL_LINES) {
                    stderrTail.removeFirst();
                }
            }
            log.accept(line);
        }), "child-stderr-" + process.pid());
        stderrPump.setDaemon(true);
        stderrPump.start();
        Supervisor supervisor = new Supervisor(process, cancelRequested);
        ChildEvent[] terminal = {null};
        try {
            pumpLines(process.getInputStream(), line -> {
                supervisor.lastOutputAt = System.nanoTime();
                if (!line.startsWith(ChildEvent.LINE_PREFIX)) {
                    log.accept(line);
                    return;
                }
                ChildEvent event = parse(line.substring(ChildEvent.LINE_PREFIX.length()));
                if (event.is(ChildEvent.DONE) || event.is(ChildEvent.FAILED) || event.is(ChildEvent.CANCELLED)) {
                    terminal[0] = event;
                }
                events.accept(event);
            });
            int exit = process.waitFor();
            stderrPump.join(TimeUnit.SECONDS.toMillis(10));
            String tail;
            synchronized (stderrTail) {
                tail = String.join("\n", stderrTail);
            }
            return new Outcome(exit, terminal[0], tail, supervisor.cancelSent, supervisor.stalled);
        } finally {
            supervisor.stop();
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Longest line passed on as one; a longer one (no newline in sight) is passed on in pieces of this size. */
    static final int MAX_LINE_CHARS = 8192;

    /**
     * Reads UTF-8 lines until end of stream. Protocol events are single lines of any length on stdout, so only
     * lines that are not events are cut at {@link #MAX_LINE_CHARS}; an event line is read whole.
     */
    private static void pumpLines(java.io.InputStream stream, Consumer<String> lines) {
        try (java.io.Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            char[] buffer = new char[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        emit(line, lines);
                    } else {
                        line.append(c);
                        if (line.length() >= MAX_LINE_CHARS && !startsWithPrefix(line)) {
                            emit(line, lines);
                        }
                    }
                }
            }
            if (!line.isEmpty()) {
                emit(line, lines);
            }
        } catch (IOException e) {
            log.debug("Child output closed: {}", e.toString());
        }
    }

    private static boolean startsWithPrefix(StringBuilder line) {
        return line.length() >= ChildEvent.LINE_PREFIX.length()
                && line.substring(0, ChildEvent.LINE_PREFIX.length()).equals(ChildEvent.LINE_PREFIX);
    }

    private static void emit(StringBuilder line, Consumer<String> lines) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        lines.accept(line.substring(0, end));
        line.setLength(0);
    }

    private ChildEvent parse(String line) {
        JsonNode node = json.readTree(line);
        return new ChildEvent(node.path("event").asString(), node.path("body"));
    }

    /**
     * glibc malloc settings for the child: blocks up to 32 MiB are served from and freed to the heap,
     * the heap grows 256 MiB at a time and is not trimmed below 1 GiB. libtorch frees and allocates
     * every activation anew each step; with glibc's defaults many of those blocks are unmapped and
     * mapped again, so each step page-faults and zeroes fresh pages. Measured on resnet32 training
     * (10 steps, bench/README.md): 530–640 k minor faults and 195–225 images/s with glibc's defaults,
     * 228–236 k and 281–286 images/s with these (PyTorch eager: 180–220 k, 278–300). Untouched heap
     * costs no memory; the cost is that the child's RSS stays near its peak until it exits after its job.
     */
    static final String MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=268435456";

    /** The child sees only its GPU; glibc's malloc keeps its memory unless the service was started with its own GLIBC_TUNABLES. */
    static void configureEnvironment(Map<String, String> environment, Integer gpuIndex) {
        environment.put("CUDA_VISIBLE_DEVICES", gpuIndex == null ? "" : gpuIndex.toString());
        environment.putIfAbsent("GLIBC_TUNABLES", MALLOC_TUNABLES);
    }

    List<String> command(Path specFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dai.djl.offline=true");
        String classpath = System.getProperty("java.class.path");
        command.add("-cp");
        command.add(classpath);
        if (isBootJar(classpath)) {
            command.add("-Dloader.main=" + JobRunnerMain.class.getName());
            command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            command.add(JobRunnerMain.class.getName());
        }
        command.add(specFile.toAbsolutePath().toString());
        return command;
    }

    private static boolean isBootJar(String classpath) throws IOException {
        if (classpath.contains(java.io.File.pathSeparator) || !classpath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classpath)) {
            return jar.getEntry("BOOT-INF/") != null || jar.getEntry("BOOT-INF/classes/") != null;
        }
    }

    /** Watches for cancellation while the child runs: asks politely on stdin, then kills after the grace period. */
    private final class Supervisor {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "child-supervisor");
            t.setDaemon(true);
            return t;
        });
        private final Process process;
        private final OutputStream stdin;
        private volatile boolean cancelSent;
        private volatile long cancelSentAt;
        private volatile long lastOutputAt = System.nanoTime();
        private volatile boolean stalled;

        Supervisor(Process process, BooleanSupplier cancelRequested) {
            this.process = process;
            this.stdin = process.getOutputStream();
            long period = Math.max(50, pollInterval.toMillis());
            timer.scheduleWithFixedDelay(() -> check(cancelRequested), period, period, TimeUnit.MILLISECONDS);
        }

        private void check(BooleanSupplier cancelRequested) {
            try {
                boolean stopping = shuttingDown.getAsBoolean();
                if (!cancelSent && (stopping || cancelRequested.getAsBoolean())) {
                    stdin.write("cancel\n".getBytes(StandardCharsets.UTF_8));
                    stdin.flush();
                    cancelSent = true;
                    cancelSentAt = System.nanoTime();
                } else if (!stallTimeout.isZero() && !stallTimeout.isNegative() && !stalled && process.isAlive()
                        && System.nanoTime() - lastOutputAt > stallTimeout.toNanos()) {
                    // a stopped (SIGSTOP) or deadlocked child: it reports progress at least every batch
                    log.warn("Child {} printed nothing for {}; killing it as stalled", process.pid(), stallTimeout);
                    stalled = true;
                    process.destroyForcibly();
                } else if (cancelSent && System.nanoTime() - cancelSentAt > grace(stopping).toNanos() && process.isAlive()) {
                    log.warn("Child {} ignored cancel for {}; killing it", process.pid(), grace(stopping));
                    process.destroyForcibly();
                }
            } catch (Exception e) {
                log.debug("Supervisor check failed: {}", e.toString());
            }
        }

        private Duration grace(boolean stopping) {
            return stopping && shutdownGrace != null && shutdownGrace.compareTo(cancelGrace) < 0 ? shutdownGrace : cancelGrace;
        }

        void stop() {
            timer.shutdownNow();
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the child is gone already
            }
        }
    }
}
