package org.masktune.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a checkpoint into {@code <file>.part}; after a broken connection it asks for the rest with
 * {@code Range: bytes=<have>-} and {@code If-Range: <ETag>} (a changed file comes whole, 200, and the part is
 * restarted). At the end the SHA-256 of the file is checked against the server's Repr-Digest, and only then is
 * the part renamed to the file.
 */
final class Downloader {

    static final int MAX_ATTEMPTS = 8;
    private static final Pattern REPR_DIGEST = Pattern.compile("sha-256=:([A-Za-z0-9+/=]+):");
    private static final Pattern FILENAME = Pattern.compile("filename=\"?([^\";]+)\"?");

    private final ServiceClient client;
    private final PrintStream out;
    private final PrintStream err;

    Downloader(ServiceClient client, PrintStream out, PrintStream err) {
        this.client = client;
        this.out = out;
        this.err = err;
    }

    int download(String checkpoint, Path output, String format) throws InterruptedException, IOException {
        String path = "/api/v1/checkpoints/" + checkpoint + "/content" + (format == null ? "" : "?format=" + format);
        Path target = output;
        Path part = null;
        String etag = null;
        String expectedDigest = null;
        long have = 0;
        long total = -1;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            HttpRequest.Builder request = client.request(path, Duration.ofHours(6)).GET();
            if (have > 0 && etag != null) {
                request.header("Range", "bytes=" + have + "-").header("If-Range", etag);
            }
            HttpResponse<InputStream> response;
            try {
                response = client.stream(request.build());
            } catch (IOException e) {
                err.println("download: " + e + (attempt < MAX_ATTEMPTS ? "; retrying" : ""));
                Thread.sleep(Math.min(10_000L, 500L << attempt));
                continue;
            }
            int status = response.statusCode();
            if (status != 200 && status != 206) {
                String body = new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                err.println("download: HTTP " + status + " " + body);
                return MaskTuneCli.EXIT_USAGE;
            }
            if (target == null) {
                target = Path.of(response.headers().firstValue("Content-Disposition").map(FILENAME::matcher)
                        .filter(Matcher::find).map(m -> m.group(1)).orElse(checkpoint + ".ckpt"));
            }
            if (part == null) {
                part = target.resolveSibling(target.getFileName() + ".part");
            }
            String newEtag = response.headers().firstValue("ETag").orElse(null);
            expectedDigest = response.headers().firstValue("Repr-Digest").map(REPR_DIGEST::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).orElse(expectedDigest);
            boolean append = status == 206;
            if (!append) {
                have = 0;
                total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            } else if (total < 0) {
                total = response.headers().firstValue("Content-Range").map(r -> Long.parseLong(r.substring(r.lastIndexOf('/') + 1)))
                        .orElse(-1L);
            }
            etag = newEtag;
            try (InputStream in = response.body();
                    OutputStream file = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    file.write(buffer, 0, n);
                    have += n;
                }
            } catch (IOException e) {
                err.println("download: connection lost after " + have + " bytes (" + e.getMessage() + "); resuming");
                continue;
            }
            if (total >= 0 && have < total) {
                err.println("download: connection ended after " + have + " of " + total + " bytes; resuming");
                continue;
            }
            return verify(part, target, expectedDigest, have);
        }
        err.println("download: gave up after " + MAX_ATTEMPTS + " attempts (" + have + " bytes kept in " + part + ")");
        return MaskTuneCli.EXIT_USAGE;
    }

    private int verify(Path part, Path target, String expectedDigest, long size) throws IOException {
        String actual = sha256Base64(part);
        if (expectedDigest == null) {
            err.println("download: the server sent no Repr-Digest; SHA-256 not verified");
        } else if (!expectedDigest.equals(actual)) {
            err.println("download: SHA-256 mismatch (server " + expectedDigest + ", file " + actual + "); " + part + " deleted");
            Files.deleteIfExists(part);
            return MaskTuneCli.EXIT_FAILED;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        out.println(target + " " + size + " bytes, sha-256 "
                + java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(actual)) + (expectedDigest == null ? "" : " verified"));
        return MaskTuneCli.EXIT_OK;
    }

    private static String sha256Base64(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return Base64.getEncoder().encodeToString(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
