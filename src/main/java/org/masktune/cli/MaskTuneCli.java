package org.masktune.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * The command-line client, in the service's own jar: {@code java -jar masktune.jar submit train config.json --wait}.
 * Plain Java (picocli + java.net.http), no Spring: {@code MaskTuneApplication.main} hands CLI commands here before
 * any context starts. Exit codes: 0 SUCCEEDED, 1 FAILED, 2 CANCELLED, 3 timeout, 4 usage or connection error.
 */
@Command(name = "masktune", mixinStandardHelpOptions = true, version = "masktune CLI",
        description = "Client of the MaskTune training service, for CI and operators.",
        subcommands = {MaskTuneCli.Submit.class, MaskTuneCli.PipelineCommand.class, MaskTuneCli.Wait.class,
                MaskTuneCli.Status.class, MaskTuneCli.Logs.class, MaskTuneCli.Download.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:SUCCEEDED (or the command worked)", "1:FAILED (the reason on stderr)", "2:CANCELLED",
                "3:--timeout reached", "4:usage or connection error"})
public final class MaskTuneCli {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_CANCELLED = 2;
    public static final int EXIT_TIMEOUT = 3;
    public static final int EXIT_USAGE = 4;

    /** First arguments that make the jar's main run this CLI instead of the service. */
    public static final Set<String> COMMANDS = Set.of("submit", "pipeline", "wait", "status", "logs", "download", "help");

    @Option(names = "--url", defaultValue = "${env:MASKTUNE_URL:-http://localhost:8080}",
            description = "Service base URL (env MASKTUNE_URL; default ${DEFAULT-VALUE})", scope = CommandLine.ScopeType.INHERIT)
    String url;

    @Option(names = "--token", defaultValue = "${env:MASKTUNE_TOKEN}",
            description = "Bearer token sent as Authorization (env MASKTUNE_TOKEN)", scope = CommandLine.ScopeType.INHERIT)
    String token;

    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private InputStream in = System.in;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.in));
    }

    /** Runs one command; returns its exit code (for tests, and for the jar's main). */
    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        MaskTuneCli cli = new MaskTuneCli();
        cli.out = out;
        cli.err = err;
        cli.in = in;
        CommandLine line = new CommandLine(cli)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler((e, arguments) -> {
                    err.println("masktune: " + e.getMessage());
                    e.getCommandLine().usage(err);
                    return EXIT_USAGE;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    err.println("masktune: " + (e instanceof IOException ? "cannot reach the service: " : "") + e);
                    return EXIT_USAGE;
                });
        if (args.length == 0) {
            line.usage(out);
            return EXIT_USAGE;
        }
        return line.execute(args);
    }

    ServiceClient client() {
        return new ServiceClient(url, token);
    }

    String readConfig(String file) throws IOException {
        return file.equals("-") ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
    }

    /** The id of a 200/202 submit answer, printed alone on the first line so that ID=$(masktune submit ...) works. */
    private String submitted(ServiceClient client, ServiceClient.Response response, String what) {
        if (response.status() != 200 && response.status() != 202) {
            err.println(what + ": " + client.problem(response));
            return null;
        }
        String id = client.parse(response.body()).path("id").asString();
        out.println(id);
        out.flush();
        return id;
    }

    abstract static class WaitOptions {
        @ParentCommand
        MaskTuneCli cli;

        @Option(names = "--timeout", converter = Durations.class,
                description = "Give up waiting after this long (e.g. 90s, 30m, 2h); exit code 3. The job keeps running.")
        Duration timeout;

        @Option(names = "--progress-every", converter = Durations.class, defaultValue = "5s",
                description = "At most one progress line this often (default ${DEFAULT-VALUE})")
        Duration progressEvery;

        Waiter waiter(ServiceClient client) {
            return new Waiter(client, cli.out, cli.err, timeout, progressEvery);
        }
    }

    @Command(name = "submit", description = "Submit a job: train, masktune, evaluate or device-check")
    static final class Submit extends WaitOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "Job type (train, masktune, evaluate, device-check)")
        String type;

        @Parameters(index = "1", description = "Config JSON file, or - for stdin")
        String config;

        @Option(names = "--wait", description = "Wait for the job to end; the exit code tells how it ended")
        boolean await;

        @Option(names = "--idempotency-key", description = "Makes retries of this submit safe: the same key and body give the same job")
        String idempotencyKey;

        @Option(names = "--priority", defaultValue = "0", description = "0-100, higher runs first")
        int priority;

        @Override
        public Integer call() throws Exception {
            ServiceClient client = cli.client();
            ServiceClient.Response response = client.post("/api/v1/jobs/" + type + "?priority=" + priority, cli.readConfig(config),
                    "Idempotency-Key", idempotencyKey);
            String id = cli.submitted(client, response, "submit " + type);
            if (id == null) {
                return EXIT_USAGE;
            }
            return await ? waiter(client).job(id, client.parse(response.body())) : EXIT_OK;
        }
    }

    @Command(name = "pipeline", description = "Start the MaskTune pipeline (train -> masktune -> evaluate)")
    static final class PipelineCommand extends WaitOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "Pipeline config JSON file, or - for stdin")
        String config;

        @Option(names = "--wait", description = "Wait for the pipeline to end")
        boolean await;

        @Option(names = "--idempotency-key", description = "Makes retries safe")
        String idempotencyKey;

        @Override
        public Integer call() throws Exception {
            ServiceClient client = cli.client();
            ServiceClient.Response response = client.post("/api/v1/pipelines/masktune", cli.readConfig(config),
                    "Idempotency-Key", idempotencyKey);
            String id = cli.submitted(client, response, "pipeline");
            if (id == null) {
                return EXIT_USAGE;
            }
            return await ? waiter(client).pipeline(id) : EXIT_OK;
        }
    }

    @Command(name = "wait", description = "Wait for a job (or pipeline) to end")
    static final class Wait extends WaitOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "Job or pipeline id")
        String id;

        @Override
        public Integer call() throws Exception {
            ServiceClient client = cli.client();
            boolean isPipeline = client.get("/api/v1/jobs/" + id, Duration.ofSeconds(30)).status() == 404
                    && client.get("/api/v1/pipelines/" + id, Duration.ofSeconds(30)).status() == 200;
            return isPipeline ? waiter(client).pipeline(id) : waiter(client).job(id);
        }
    }

    @Command(name = "status", description = "Print a job (or pipeline) as JSON")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        MaskTuneCli cli;

        @Parameters(index = "0", description = "Job or pipeline id")
        String id;

        @Override
        public Integer call() throws Exception {
            ServiceClient client = cli.client();
            ServiceClient.Response response = client.get("/api/v1/jobs/" + id, Duration.ofSeconds(30));
            if (response.status() == 404) {
                response = client.get("/api/v1/pipelines/" + id, Duration.ofSeconds(30));
            }
            if (response.status() != 200) {
                cli.err.println("status: " + client.problem(response));
                return EXIT_USAGE;
            }
            JsonNode node = client.parse(response.body());
            cli.out.println(client.json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            return EXIT_OK;
        }
    }

    @Command(name = "logs", description = "Print a job's log (its child JVM's output); -f follows it until the job ends")
    static final class Logs implements Callable<Integer> {
        @ParentCommand
        MaskTuneCli cli;

        @Parameters(index = "0", description = "Job id")
        String id;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the job ends")
        boolean follow;

        @Option(names = "--offset", defaultValue = "0", description = "Start at this byte offset")
        long offset;

        @Override
        public Integer call() throws Exception {
            ServiceClient client = cli.client();
            long at = offset;
            int errors = 0;
            while (true) {
                HttpRequest request = client.request("/api/v1/jobs/" + id + "/logs?offset=" + at + (follow ? "&follow=true" : ""),
                        follow ? Duration.ofDays(1) : Duration.ofMinutes(10)).GET().build();
                try {
                    HttpResponse<InputStream> response = client.stream(request);
                    if (response.statusCode() != 200) {
                        cli.err.println("logs: HTTP " + response.statusCode() + " "
                                + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
                        return EXIT_USAGE;
                    }
                    try (InputStream body = response.body()) {
                        byte[] buffer = new byte[64 * 1024];
                        int n;
                        while ((n = body.read(buffer)) != -1) {
                            cli.out.write(buffer, 0, n);
                            cli.out.flush();
                            at += n;
                            errors = 0;
                        }
                    }
                    return EXIT_OK;
                } catch (IOException e) {
                    if (!follow || ++errors > 5) {
                        throw e;
                    }
                    Thread.sleep(1000L << errors); // resume after the bytes already printed
                }
            }
        }
    }

    @Command(name = "download", description = "Download a checkpoint; resumes after a broken connection and verifies its SHA-256")
    static final class Download implements Callable<Integer> {
        @ParentCommand
        MaskTuneCli cli;

        @Parameters(index = "0", description = "Checkpoint id")
        String checkpoint;

        @Option(names = {"-o", "--output"}, description = "File to write (default: the name the server suggests)")
        Path output;

        @Option(names = "--format", description = "Representation to ask for (e.g. safetensors), where the service offers it")
        String format;

        @Override
        public Integer call() throws Exception {
            return new Downloader(cli.client(), cli.out, cli.err).download(checkpoint, output, format);
        }
    }
}
