package org.masktune.ml.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real PyTorch for the interop tests: Debian's python3-torch and python3-torchvision, found at
 * {@code $MASKTUNE_PYTHON}, {@code /usr/bin/python3} or {@code python3} on the PATH (which may be a
 * pyenv shim without torch), whichever imports torch, torchvision and numpy first. Without one a test
 * is skipped locally and fails under CI ({@code CI=true}), so CI never skips it silently.
 */
public final class PyTorch {

    public static final String MISSING = "python3-torch and python3-torchvision are not installed"
            + " (apt-get install -y python3-torch python3-torchvision)";
    public static final Path INTEROP = Path.of("interop", "pytorch").toAbsolutePath();
    public static final Path REFERENCE = INTEROP.resolve("tests").resolve("torch_reference.py");
    public static final Path CONVERTER = INTEROP.resolve("pth_to_safetensors.py");

    private static volatile String found;
    private static volatile boolean searched;

    private PyTorch() {
    }

    /** The interpreter to use; skips (locally) or fails (CI) the calling test when there is none. */
    public static String python() {
        if (!searched) {
            synchronized (PyTorch.class) {
                if (!searched) {
                    found = search();
                    searched = true;
                }
            }
        }
        if (found == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(MISSING + "; CI must install them (.ci/run does)");
            }
            Assumptions.abort(MISSING);
        }
        return found;
    }

    private static String search() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("MASKTUNE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, torchvision, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Runs {@code python args...}, failing the test with its output unless it exits 0 within 10 minutes. */
    public static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(python());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "2");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("python timed out: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("python exited " + process.exitValue() + ": " + command + "\n" + text);
        }
        return text;
    }

    public static float[] readFloats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    public static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(file, bytes.array());
    }

    /** Largest |a − b| over all logits; {@code expected} is {@code [n][k]}, {@code flat} row-major. */
    public static double maxAbsDifference(float[][] expected, float[] flat) {
        double max = 0;
        int k = expected[0].length;
        if (flat.length != expected.length * k) {
            fail("PyTorch gave " + flat.length + " logits, expected " + expected.length + " x " + k);
        }
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < k; j++) {
                max = Math.max(max, Math.abs(expected[i][j] - flat[i * k + j]));
            }
        }
        return max;
    }
}
