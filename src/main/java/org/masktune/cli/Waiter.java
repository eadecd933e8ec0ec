package org.masktune.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Waits for a job or pipeline to end with long-polls (If-None-Match + waitSeconds), never a tight loop: each
 * poll returns when the resource changed or after up to {@link #POLL_SECONDS}; after a change it pauses a second
 * so fast progress updates are read in batches. Prints one line per state change and a progress line at most
 * every {@code progressInterval}. Returns the exit code: 0 SUCCEEDED, 1 FAILED, 2 CANCELLED, 3 timeout,
 * 4 connection error.
 */
final class Waiter {

    static final int POLL_SECONDS = 60;
    private static final int MAX_CONSECUTIVE_ERRORS = 6;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ServiceClient client;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration timeout;
    private final Duration progressInterval;
    private int pollSeconds = POLL_SECONDS;

    Waiter(ServiceClient client, PrintStream out, PrintStream err, Duration timeout, Duration progressInterval) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.timeout = timeout;
        this.progressInterval = progressInterval;
    }

    int job(String id) throws InterruptedException {
        return job(id, null);
    }

    /**
     * Waits for job {@code id}, reporting first the view its submit answered with (QUEUED), so that state is printed
     * even when the job has started before the first poll.
     */
    int job(String id, JsonNode submitted) throws InterruptedException {
        JobReporter reporter = new JobReporter(id);
        if (submitted != null && submitted.hasNonNull("status")) {
            reporter.report(submitted);
        }
        return await("/api/v1/jobs/" + id, "job " + id, reporter);
    }

    int pipeline(String id) throws InterruptedException {
        return await("/api/v1/pipelines/" + id, "pipeline " + id, new PipelineReporter(id));
    }

    interface Reporter {
        void report(JsonNode view);
    }

    private int await(String path, String what, Reporter reporter) throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        String etag = null;
        JsonNode view = null;
        int errors = 0;
        while (true) {
            long remainingNanos = deadline - System.nanoTime();
            if (view != null && remainingNanos <= 0) {
                err.println(what + ": timed out after " + Durations.format(timeout) + ", still " + view.path("status").asString());
                return MaskTuneCli.EXIT_TIMEOUT;
            }
            int wait = view == null ? 0 : (int) Math.max(1, Math.min(pollSeconds, Math.ceil(remainingNanos / 1e9)));
            ServiceClient.Response response;
            try {
                response = client.get(wait == 0 ? path : path + "?waitSeconds=" + wait, Duration.ofSeconds(wait + 30L),
                        "If-None-Match", wait == 0 ? null : etag);
            } catch (IOException e) {
                if (++errors >= MAX_CONSECUTIVE_ERRORS) {
                    err.println(what + ": cannot reach " + client.base() + " (" + e + ")");
                    return MaskTuneCli.EXIT_USAGE;
                }
                sleepWithin(Math.min(30_000L, 1000L << errors), deadline);
                continue;
            }
            int status = response.status();
            if (status == 304) {
                errors = 0;
                continue;
            }
            if (status == 404) {
                err.println(what + ": not found at " + client.base());
                return MaskTuneCli.EXIT_USAGE;
            }
            if (status == 400 && wait > 30 && response.body() != null && response.body().contains("waitSeconds")) {
                pollSeconds = 30; // a server with a smaller long-poll maximum
                continue;
            }
            if (status == 401 || status == 403) {
                err.println(what + ": " + client.problem(response) + " (set --token or MASKTUNE_TOKEN)");
                return MaskTuneCli.EXIT_USAGE;
            }
            if (status != 200) {
                if (++errors >= MAX_CONSECUTIVE_ERRORS || status < 500) {
                    err.println(what + ": " + client.problem(response));
                    return MaskTuneCli.EXIT_USAGE;
                }
                sleepWithin(Math.min(30_000L, 1000L << errors), deadline);
                continue;
            }
            errors = 0;
            view = client.parse(response.body());
            etag = response.header("ETag");
            reporter.report(view);
            String state = view.path("status").asString();
            switch (state) {
                case "SUCCEEDED":
                    return MaskTuneCli.EXIT_OK;
                case "FAILED":
                    return MaskTuneCli.EXIT_FAILED;
                case "CANCELLED":
                    return MaskTuneCli.EXIT_CANCELLED;
                default:
                    if (wait > 0) {
                        sleepWithin(1000, deadline); // batch the next changes instead of one poll per progress write
                    }
            }
        }
    }

    private static void sleepWithin(long millis, long deadline) throws InterruptedException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        Thread.sleep(Math.max(0, Math.min(millis, left)));
    }

    private void line(String text) {
        out.println(LocalTime.now().format(TIME) + " " + text);
        out.flush();
    }

    /** Prints a progress line when the fraction or message moved and the last one is older than the interval. */
    private final class ProgressLine {
        private long last;
        private String lastText;

        void maybe(String text) {
            long now = System.nanoTime();
            if (text.equals(lastText) || (last != 0 && now - last < progressInterval.toNanos())) {
                return;
            }
            last = now;
            lastText = text;
            line(text);
        }
    }

    private static String percent(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    private final class JobReporter implements Reporter {
        private final String id;
        private String lastStatus;
        private final ProgressLine progress = new ProgressLine();

        JobReporter(String id) {
            this.id = id;
        }

        @Override
        public void report(JsonNode job) {
            String status = job.path("status").asString();
            if (!status.equals(lastStatus)) {
                lastStatus = status;
                line(status + " " + describe(job, status));
                if (status.equals("FAILED")) {
                    err.println("job " + id + " FAILED: " + job.path("error").path("code").asString("?") + ": "
                            + job.path("error").path("message").asString(""));
                }
            } else if (status.equals("RUNNING")) {
                JsonNode p = job.path("progress");
                progress.maybe("  " + percent(p.path("fraction").asDouble()) + " " + p.path("message").asString(""));
            }
        }

        private String describe(JsonNode job, String status) {
            return switch (status) {
                case "QUEUED" -> "job " + id + " (" + job.path("type").asString() + ")"
                        + (job.path("attempt").asInt() > 0 ? ", re-queued after attempt " + job.path("attempt").asInt() : "");
                case "RUNNING" -> "on " + job.path("device").asString("?") + " (attempt " + job.path("attempt").asInt()
                        + " of " + job.path("maxAttempts").asInt() + ")";
                case "FAILED" -> job.path("error").path("code").asString("?");
                default -> elapsed(job);
            };
        }

        private String elapsed(JsonNode job) {
            try {
                java.time.Instant start = java.time.Instant.parse(job.path("startedAt").asString());
                java.time.Instant end = java.time.Instant.parse(job.path("finishedAt").asString());
                return "after " + Durations.format(Duration.between(start, end)) + " running";
            } catch (RuntimeException e) {
                return "";
            }
        }
    }

    private final class PipelineReporter implements Reporter {
        private final String id;
        private final Map<String, String> stageStatus = new HashMap<>();
        private String lastStatus;
        private final ProgressLine progress = new ProgressLine();

        PipelineReporter(String id) {
            this.id = id;
        }

        @Override
        public void report(JsonNode pipeline) {
            boolean changed = false;
            for (JsonNode stage : (Iterable<JsonNode>) () -> pipeline.path("stages").valueStream().iterator()) {
                String name = stage.path("name").asString();
                String status = stage.path("status").asString(null);
                if (status != null && !status.equals(stageStatus.get(name))) {
                    stageStatus.put(name, status);
                    line("stage " + name + " " + status + " (job " + stage.path("jobId").asString() + ")"
                            + (stage.hasNonNull("error") ? ": " + stage.path("error").asString() : ""));
                    changed = true;
                }
            }
            String status = pipeline.path("status").asString();
            if (!status.equals(lastStatus)) {
                lastStatus = status;
                if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status) || !changed) {
                    line("pipeline " + id + " " + status + (pipeline.hasNonNull("reason") ? ": " + pipeline.path("reason").asString() : ""));
                }
                if (status.equals("FAILED")) {
                    err.println("pipeline " + id + " FAILED: " + pipeline.path("reason").asString(""));
                }
            } else if (!changed && status.equals("RUNNING")) {
                String message = pipeline.path("stages").valueStream().filter(s -> "RUNNING".equals(s.path("status").asString()))
                        .map(s -> s.path("name").asString() + ": " + s.path("progressMessage").asString("")).findFirst().orElse("");
                progress.maybe("  " + percent(pipeline.path("progress").asDouble()) + " " + message);
            }
        }
    }
}
