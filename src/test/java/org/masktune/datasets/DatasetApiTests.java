package org.masktune.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.ml.data.DatasetFingerprint;
import org.masktune.ml.data.DatasetSpec;
import org.masktune.ml.data.IdxReader;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The dataset registry over HTTP against the real database. The data root is
 * {@code target/test-datasets} (application-test.yml); each run writes under a fresh sub-folder.
 */
@IntegrationTest
class DatasetApiTests {

    static final Path ROOT = Path.of("target/test-datasets").toAbsolutePath().normalize();
    static final String RUN = "run-" + UUID.randomUUID();

    @Autowired
    ApiClient api;

    @Autowired
    DatasetRegistry registry;

    @BeforeAll
    static void createRoot() throws IOException {
        Files.createDirectories(ROOT.resolve(RUN));
    }

    @Test
    void listsBothBuiltInsWithExactCounts() {
        Response response = api.get("/api/v1/datasets");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode mnist = byName(response.json(), "mnist-10k");
        JsonNode biased = byName(response.json(), "biased-mnist");

        assertThat(mnist.path("builtIn").asBoolean()).isTrue();
        assertThat(mnist.path("spec").path("format").asString()).isEqualTo("BUILTIN");
        assertThat(mnist.path("splits").propertyNames()).containsExactly("train", "test");
        assertSplit(mnist.path("splits").path("train"), 8000, 1, 28);
        assertSplit(mnist.path("splits").path("test"), 2000, 1, 28);
        assertThat(strings(mnist.path("splits").path("train").path("classes"))).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(mnist.path("splits").path("train").path("groups").isNull()).isTrue();
        assertThat(mnist.path("fingerprint").asString()).matches("[0-9a-f]{64}");
        assertThat(mnist.path("createdAt").isNull()).isTrue();

        assertThat(biased.path("spec").path("biasedMnist").path("trainConflictRatio").asDouble()).isEqualTo(0.01);
        JsonNode splits = biased.path("splits");
        assertThat(splits.propertyNames()).containsExactly("train", "test-conflicting", "test-original", "test");
        assertSplit(splits.path("train"), 8000, 3, 28);
        assertThat(strings(splits.path("train").path("classes"))).containsExactly("0-4", "5-9");
        assertThat(groupCounts(splits.path("train"))).containsExactly(
                Map.entry("class0/no-square", 41), Map.entry("class1/no-square", 3855),
                Map.entry("class0/square", 4065), Map.entry("class1/square", 39));
        assertSplit(splits.path("test-conflicting"), 2000, 3, 28);
        assertThat(groupCounts(splits.path("test-conflicting")).stream().map(Map.Entry::getValue)).containsExactly(1025, 0, 0, 975);
        assertThat(groupCounts(splits.path("test-original")).stream().map(Map.Entry::getValue)).containsExactly(1025, 975, 0, 0);
        assertThat(splits.path("test").path("fingerprint")).isEqualTo(splits.path("test-conflicting").path("fingerprint"));

        Response one = api.get("/api/v1/datasets/biased-mnist");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json()).isEqualTo(biased);
        assertThat(registry.resolve("biased-mnist")).isEqualTo(DatasetSpec.builtIn("biased-mnist"));
        assertThat(registry.resolveRoot(DatasetSpec.builtIn("mnist-10k"))).isNull();
    }

    @Test
    void registersAnIdxFolder() throws IOException {
        Path dir = ROOT.resolve(RUN).resolve("digits");
        writeIdx(dir, "train", 5, true);
        writeIdx(dir, "t10k", 3, false);

        Response created = api.post("/api/v1/datasets", body("tiny-digits", "{\"format\":\"IDX\",\"path\":\"" + RUN + "/digits\"}"));

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.header("Location")).isEqualTo("/api/v1/datasets/tiny-digits");
        assertThat(created.json().path("status").asString()).isEqualTo("PREPARING");
        JsonNode info = awaitPrepared("tiny-digits");
        assertThat(info.path("status").asString()).isEqualTo("READY");
        assertThat(info.path("progress").path("imagesDone").asLong()).isEqualTo(8);
        assertThat(info.path("progress").path("imagesTotal").asLong()).isEqualTo(8);
        assertThat(info.path("name").asString()).isEqualTo("tiny-digits");
        assertThat(info.path("builtIn").asBoolean()).isFalse();
        assertThat(info.path("spec").path("path").asString()).isEqualTo(RUN + "/digits");
        assertThat(info.path("splits").propertyNames()).containsExactly("train", "test");
        assertSplit(info.path("splits").path("train"), 5, 1, 4);
        assertSplit(info.path("splits").path("test"), 3, 1, 4);
        assertThat(info.path("createdAt").asString()).isNotBlank();
        // the stored fingerprint is the data's: what a job that loads it computes
        var loaded = IdxReader.readFolder(dir);
        assertThat(info.path("splits").path("train").path("fingerprint").asString())
                .isEqualTo(DatasetFingerprint.sha256(loaded.split("train")));
        assertThat(info.path("fingerprint").asString()).isEqualTo(
                DatasetInfo.fingerprintOf(DatasetInfo.splitsOf(loaded)));

        Response fetched = api.get("/api/v1/datasets/tiny-digits");
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(info);
        assertThat(api.get("/api/v1/datasets").json().findValuesAsString("name")).contains("mnist-10k", "biased-mnist", "tiny-digits");

        // what a job gets: the stored spec, the real folder to hand to a child JVM, and the data
        DatasetSpec spec = registry.resolve("tiny-digits");
        assertThat(spec).isEqualTo(DatasetSpec.folder(org.masktune.ml.data.DatasetFormat.IDX, RUN + "/digits"));
        assertThat(registry.resolveRoot(spec)).isEqualTo(dir.toRealPath());
        assertThat(registry.load(spec).split("train")).isEqualTo(loaded.split("train"));
    }

    @Test
    void registersBiasedMnistBuiltFromIdxFiles() throws IOException {
        // the shipped mnist-10k digits, written out as the user's MNIST IDX folder
        Path dir = Files.createDirectories(ROOT.resolve(RUN).resolve("mnist"));
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            try (var in = DatasetApiTests.class.getResourceAsStream("/datasets/mnist-10k/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }

        Response created = api.post("/api/v1/datasets", body("biased-mnist-idx",
                "{\"format\":\"IDX\",\"path\":\"" + RUN + "/mnist\",\"biasedMnist\":{}}"));

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        JsonNode info = awaitPrepared("biased-mnist-idx");
        assertThat(info.path("spec").path("biasedMnist").path("trainConflictRatio").asDouble()).isEqualTo(0.01);
        JsonNode splits = info.path("splits");
        assertThat(splits.propertyNames()).containsExactly("train", "test-conflicting", "test-original", "test");
        assertSplit(splits.path("train"), 8000, 3, 28);
        // same digits, same (default) options: the built-in's images, split by split
        JsonNode builtIn = api.get("/api/v1/datasets/biased-mnist").json().path("splits");
        for (String split : List.of("train", "test-conflicting", "test-original", "test")) {
            assertThat(splits.path(split).path("fingerprint")).as(split).isEqualTo(builtIn.path(split).path("fingerprint"));
            assertThat(splits.path(split).path("groups")).as(split).isEqualTo(builtIn.path(split).path("groups"));
        }
        assertThat(registry.resolve("biased-mnist-idx").biasedMnist()).isEqualTo(org.masktune.ml.data.BiasedMnistOptions.defaults());
    }

    @Test
    void biasedMnistOnIdxWithoutTestFilesFailsNamingTheMissingFile() throws IOException {
        Path dir = ROOT.resolve(RUN).resolve("train-only");
        writeIdx(dir, "train", 5, true);

        Response response = api.post("/api/v1/datasets", body("train-only-biased",
                "{\"format\":\"IDX\",\"path\":\"" + RUN + "/train-only\",\"biasedMnist\":{}}"));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode failed = awaitPrepared("train-only-biased");
        assertThat(failed.path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.path("error").path("message").asString()).startsWith("t10k-images-idx3-ubyte[.gz]: not found");
        assertThat(failed.path("error").path("file").asString()).isEqualTo(RUN + "/train-only/t10k-images-idx3-ubyte[.gz]");
        assertThat(failed.path("splits").isNull()).isTrue();
    }

    @Test
    void anAbsolutePathInsideARootIsAccepted() throws IOException {
        Path dir = ROOT.resolve(RUN).resolve("absolute");
        writeIdx(dir, "train", 2, true);

        Response created = api.post("/api/v1/datasets", body("absolute-digits", "{\"format\":\"IDX\",\"path\":\"" + dir + "\"}"));

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(awaitPrepared("absolute-digits").path("splits").propertyNames()).containsExactly("train");
    }

    @Test
    void aBuiltInWithOtherOptionsCanBeRegisteredUnderItsOwnName() {
        Response created = api.post("/api/v1/datasets", body("biased-mnist-no-conflicts",
                "{\"format\":\"BUILTIN\",\"name\":\"biased-mnist\",\"biasedMnist\":{\"trainConflictRatio\":0.0}}"));

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(groupCounts(awaitPrepared("biased-mnist-no-conflicts").path("splits").path("train")).stream().map(Map.Entry::getValue))
                .containsExactly(0, 3894, 4106, 0);
        assertThat(registry.resolve("biased-mnist-no-conflicts").biasedMnist().trainConflictRatio()).isEqualTo(0.0);
    }

    @Test
    void pathsOutsideTheRootsAreRefusedOnSpecPath(@TempDir Path outside) throws IOException {
        writeIdx(outside, "train", 2, true);
        Path link = Files.createSymbolicLink(ROOT.resolve(RUN).resolve("escape"), outside);

        for (String path : List.of("../x", RUN + "/../" + RUN + "/digits", "/etc", outside.toString(), RUN + "/escape")) {
            Response response = api.post("/api/v1/datasets", body("escaped", "{\"format\":\"IDX\",\"path\":\"" + path + "\"}"));
            assertProblem(response, 400, "spec.path");
            assertThat(response.json().path("errors").get(0).path("message").asString()).as(path)
                    .contains("relative to the data roots").doesNotContain(ROOT.toString());
        }
        assertThat(link).isSymbolicLink();
        assertProblem(api.get("/api/v1/datasets/escaped"), 404, null);
    }

    @Test
    void aMissingFolderIsRefusedWithAClearMessage() {
        Response response = api.post("/api/v1/datasets", body("missing", "{\"format\":\"CIFAR10\",\"path\":\"" + RUN + "/no-such-folder\"}"));

        assertProblem(response, 400, "spec.path");
        assertThat(response.json().path("detail").asString()).contains("'" + RUN + "/no-such-folder' does not exist under any data root");
    }

    @Test
    void aTruncatedIdxFileFailsTheRegistrationNamingTheFileAndCanBeRegisteredAgainOnceFixed() throws IOException {
        Path dir = ROOT.resolve(RUN).resolve("truncated");
        writeIdx(dir, "train", 4, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(whole, whole.length / 2));

        String spec = "{\"format\":\"IDX\",\"path\":\"" + RUN + "/truncated\"}";
        Response response = api.post("/api/v1/datasets", body("truncated", spec));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode failed = awaitPrepared("truncated");
        assertThat(failed.path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.path("error").path("message").asString()).startsWith("train-images-idx3-ubyte.gz: truncated");
        assertThat(failed.path("error").path("file").asString()).isEqualTo(RUN + "/truncated/train-images-idx3-ubyte.gz");

        writeIdx(dir, "train", 4, true);
        assertThat(api.post("/api/v1/datasets", body("truncated", spec)).status()).isEqualTo(202);
        assertThat(awaitPrepared("truncated").path("status").asString()).isEqualTo("READY");
    }

    @Test
    void registeringALargeFolderAnswersWithinASecondAndShowsItsProgress() throws IOException {
        Path dir = ROOT.resolve(RUN).resolve("many");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 3000; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    img.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            Path file = dir.resolve((i % 2 == 0 ? "a" : "b") + "/" + String.format("%05d.png", i));
            Files.createDirectories(file.getParent());
            javax.imageio.ImageIO.write(img, "png", file.toFile());
        }
        Files.write(dir.resolve("b/00007.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}); // corrupt

        long started = System.nanoTime();
        Response response = api.post("/api/v1/datasets", body("many-images", "{\"format\":\"IMAGE_FOLDER\",\"path\":\"" + RUN + "/many\"}"));
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(seconds).as("the answer does not wait for 3,000 images to be decoded").isLessThan(1.0);
        assertThat(response.json().path("status").asString()).isEqualTo("PREPARING");
        assertThat(response.json().path("progress").path("imagesDone").asLong()).isZero();
        List<String> seen = new java.util.ArrayList<>();
        JsonNode last = awaitPrepared("many-images", info -> seen.add(info.path("status").asString() + " "
                + info.path("progress").path("imagesDone").asLong() + "/" + info.path("progress").path("imagesTotal").asString()));
        assertThat(seen).as("progress seen while preparing").anyMatch(s -> s.startsWith("PREPARING"));
        assertThat(last.path("status").asString()).isEqualTo("FAILED");
        assertThat(last.path("error").path("file").asString()).isEqualTo(RUN + "/many/b/00007.png");
        assertThat(last.path("error").path("message").asString()).startsWith("b/00007.png: ");

        Files.delete(dir.resolve("b/00007.png"));
        assertThat(api.post("/api/v1/datasets", body("many-images", "{\"format\":\"IMAGE_FOLDER\",\"path\":\"" + RUN + "/many\"}"))
                .status()).isEqualTo(202);
        JsonNode ready = awaitPrepared("many-images");
        assertThat(ready.path("status").asString()).isEqualTo("READY");
        assertSplit(ready.path("splits").path("train"), 2999, 3, 32);
        assertThat(ready.path("progress").path("imagesDone").asLong()).isEqualTo(2999);
    }

    @Test
    void takenAndInvalidNames() throws IOException {
        Path dir = ROOT.resolve(RUN).resolve("twice");
        writeIdx(dir, "train", 2, true);
        String spec = "{\"format\":\"IDX\",\"path\":\"" + RUN + "/twice\"}";
        assertThat(api.post("/api/v1/datasets", body("twice", spec)).status()).isEqualTo(202);

        Response again = api.post("/api/v1/datasets", body("twice", spec));
        assertProblem(again, 409, "name");
        assertThat(again.json().path("detail").asString()).contains("'twice' is already registered");

        Response builtIn = api.post("/api/v1/datasets", body("mnist-10k", spec));
        assertProblem(builtIn, 409, "name");
        assertThat(builtIn.json().path("detail").asString()).contains("reserved for a built-in");

        for (String bad : List.of("Twice", "-twice", "with_underscore", "", "a".repeat(64))) {
            Response response = api.post("/api/v1/datasets", body(bad, spec));
            assertProblem(response, 400, "name");
            assertThat(response.json().path("errors").get(0).path("message").asString()).as(bad).contains("a-z, 0-9");
        }
        assertProblem(api.post("/api/v1/datasets", "{\"spec\":" + spec + "}"), 400, "name");
        assertProblem(api.post("/api/v1/datasets", "{\"name\":\"no-spec\"}"), 400, "spec");
    }

    @Test
    void specErrorsReachTheClientNamingTheField() {
        Response noName = api.post("/api/v1/datasets", body("no-name", "{\"format\":\"BUILTIN\"}"));
        assertProblem(noName, 400, "spec");
        assertThat(noName.json().path("errors").get(0).path("message").asString())
                .isEqualTo("format BUILTIN needs name, one of [mnist-10k, biased-mnist]; got null");

        Response noPath = api.post("/api/v1/datasets", body("no-path", "{\"format\":\"IDX\"}"));
        assertProblem(noPath, 400, "spec");
        assertThat(noPath.json().path("detail").asString()).contains("format IDX needs path");

        Response badOption = api.post("/api/v1/datasets", body("bad-option",
                "{\"format\":\"BUILTIN\",\"name\":\"biased-mnist\",\"biasedMnist\":{\"splitDigit\":0}}"));
        assertProblem(badOption, 400, "spec.biasedMnist");
        assertThat(badOption.json().path("detail").asString()).contains("splitDigit must be 1..9");

        Response biasedCifar = api.post("/api/v1/datasets", body("biased-cifar",
                "{\"format\":\"CIFAR10\",\"path\":\"cifar\",\"biasedMnist\":{\"trainConflictRatio\":0.0}}"));
        assertProblem(biasedCifar, 400, "spec");
        assertThat(biasedCifar.json().path("errors").get(0).path("message").asString())
                .isEqualTo("biasedMnist applies only to the built-in biased-mnist and to format IDX (MNIST digit files), not format CIFAR10");

        Response badFormat = api.post("/api/v1/datasets", body("bad-format", "{\"format\":\"ZIP\",\"path\":\"x\"}"));
        assertProblem(badFormat, 400, "spec.format");
    }

    @Test
    void unknownDatasetIsA404NamingIt() {
        Response response = api.get("/api/v1/datasets/no-such-dataset");

        assertProblem(response, 404, null);
        assertThat(response.json().path("detail").asString()).contains("'no-such-dataset'").contains("mnist-10k, biased-mnist");
    }

    // --- helpers

    private JsonNode awaitPrepared(String name) {
        return awaitPrepared(name, info -> {
        });
    }

    /** Polls the dataset until it is no longer PREPARING (60 s at most), showing each answer to {@code each}. */
    private JsonNode awaitPrepared(String name, java.util.function.Consumer<JsonNode> each) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            Response response = api.get("/api/v1/datasets/" + name);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode info = response.json();
            each.accept(info);
            if (!info.path("status").asString().equals("PREPARING")) {
                return info;
            }
            assertThat(System.nanoTime()).as("dataset " + name + " still preparing: " + info).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String body(String name, String specJson) {
        return "{\"name\":\"" + name + "\",\"spec\":" + specJson + "}";
    }

    private static void assertProblem(Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(response.json().path("errors").get(0).path("field").asString()).as(response.body()).isEqualTo(field);
        }
    }

    private static void assertSplit(JsonNode split, int count, int channels, int side) {
        assertThat(split.path("count").asInt()).as(split.toString()).isEqualTo(count);
        assertThat(split.path("channels").asInt()).isEqualTo(channels);
        assertThat(split.path("height").asInt()).isEqualTo(side);
        assertThat(split.path("width").asInt()).isEqualTo(side);
        assertThat(split.path("fingerprint").asString()).matches("[0-9a-f]{64}");
    }

    private static JsonNode byName(JsonNode list, String name) {
        for (JsonNode dataset : list) {
            if (name.equals(dataset.path("name").asString())) {
                return dataset;
            }
        }
        throw new AssertionError("no dataset " + name + " in " + list);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asString()));
        return out;
    }

    private static List<Map.Entry<String, Integer>> groupCounts(JsonNode split) {
        List<Map.Entry<String, Integer>> out = new ArrayList<>();
        split.path("groups").forEach(g -> out.add(Map.entry(g.path("name").asString(), g.path("count").asInt())));
        return out;
    }

    /** {@code <prefix>-images-idx3-ubyte[.gz]} and its labels: n images of 4x4, image i filled with i, label i % 10. */
    static void writeIdx(Path dir, String prefix, int n, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        ByteBuffer images = ByteBuffer.allocate(16 + n * 16).putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(4).putInt(4);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(IdxReader.LABELS_MAGIC).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 16; p++) {
                images.put((byte) (i * 40 + p));
            }
            labels.put((byte) (i % 10));
        }
        String suffix = gzip ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip ? gzip(images.array()) : images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip ? gzip(labels.array()) : labels.array());
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
