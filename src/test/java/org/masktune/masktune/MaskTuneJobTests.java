package org.masktune.masktune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.ml.data.BiasedMnistOptions;
import org.masktune.ml.data.BuiltInDatasets;
import org.masktune.ml.data.BuiltInOptions;
import org.masktune.ml.data.DatasetFingerprint;
import org.masktune.ml.data.DatasetLoader;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.data.Splits;
import org.masktune.ml.saliency.MaskFile;
import org.masktune.ml.saliency.MaskedImages;
import org.masktune.ml.saliency.PackedMasks;
import org.masktune.training.TrainConfig;
import tools.jackson.databind.json.JsonMapper;
import org.masktune.ml.data.ImageSet;
import org.masktune.ml.eval.ClassificationMetrics;
import org.masktune.ml.train.LoadedModel;
import org.masktune.ml.train.CheckpointFile;
import org.masktune.ml.train.ImageBatches;
import org.masktune.ml.train.Predictor;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * MaskTune through the API on Biased MNIST with NO bias-conflicting training images: the ERM model
 * can only learn the red square, MaskTune must find the digits.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaskTuneJobTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(6);
    private static final String TRAIN = """
            {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "biasedMnist": {"trainConflictRatio": 0.0}},
             "model": "small-cnn",
             "training": {"epochs": 2, "batchSize": 128, "learningRate": 0.01, "seed": 1}}""";

    @Autowired
    ApiClient api;

    @Autowired
    ArtifactStore checkpoints;

    String trainJob;
    JsonNode maskTuneJob;

    @BeforeAll
    void trainAndMaskTune() {
        trainJob = api.submit("train", TRAIN);
        JsonNode erm = api.awaitTerminal(trainJob, TIMEOUT);
        assertThat(erm.path("status").asString()).as(erm.toString()).isEqualTo("SUCCEEDED");
        String id = api.submit("masktune", "{\"sourceJob\": \"" + trainJob + "\", \"previewCount\": 4}");
        maskTuneJob = api.awaitTerminal(id, TIMEOUT);
        assertThat(maskTuneJob.path("status").asString()).as(maskTuneJob.toString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void masksCoverTheSquareInMostBiasAlignedImages() {
        JsonNode round = maskTuneJob.path("result").path("rounds").get(0).path("masking");
        System.out.println("Biased MNIST, 0% conflicting, first masking round: " + round);
        // the square is the ERM model's only feature: the paper's square is masked nearly whole in nearly every image
        JsonNode shortcut = round.path("shortcut");
        assertThat(shortcut.path("images").asInt()).isGreaterThan(3000);
        assertThat(shortcut.path("regionMaskedFraction").path("mean").asDouble()).isGreaterThan(0.8);
        assertThat(shortcut.path("regionPredictivenessBefore").asDouble()).isGreaterThan(0.95);
        assertThat(round.path("rule").asString()).contains("PAPER").contains("fill ZERO");
        assertThat(round.path("maskedFraction").path("mean").asDouble()).isBetween(0.001, 0.2);
        assertThat(round.path("imagesPerSecond").asDouble()).isPositive();
    }

    @Test
    void maskTuneMovesTheModelFromTheSquareToTheDigits() throws Exception {
        ImageSet conflicting = BuiltInDatasets.load("biased-mnist",
                new BuiltInOptions(BiasedMnistOptions.defaults().withTrainConflictRatio(0.0))).split("test-conflicting");
        ImageSet withoutSquare = conflicting.select(java.util.stream.IntStream.range(0, conflicting.size())
                .filter(i -> conflicting.groups()[i] == 0).toArray());
        double erm = accuracy(UUID.fromString(trainJob), "best", conflicting);
        double maskTune = accuracy(UUID.fromString(maskTuneJob.path("id").asString()), "finetuned", conflicting);
        double maskTuneWithoutSquare = accuracy(UUID.fromString(maskTuneJob.path("id").asString()), "finetuned", withoutSquare);

        System.out.printf("Biased MNIST, 0%% conflicting: bias-conflicting test accuracy ERM %.4f, MaskTune %.4f"
                + " (class 0 without the square %.4f)%n", erm, maskTune, maskTuneWithoutSquare);
        assertThat(erm).as("ERM follows the square").isLessThan(0.3);
        // With no conflicting training image the masks hide the square from every image the fine-tune sees, so
        // nothing teaches the model that the square does not mean class 0: the authors' code and this service both
        // measured about 0.50 here (bench/authors-vs-service). What the fine-tune does learn is the digits of the
        // images without the square.
        assertThat(maskTuneWithoutSquare).as("MaskTune reads the digits where the square is absent").isGreaterThan(0.8);
        assertThat(maskTune).isGreaterThan(erm + 0.3);
    }

    @Test
    void storesTheFineTunedCheckpointWithItsProvenanceAndAPreview() throws Exception {
        String id = maskTuneJob.path("id").asString();
        JsonNode artifacts = api.get("/api/v1/jobs/" + id + "/artifacts").json();
        assertThat(artifacts.valueStream().map(c -> c.path("kind").asString()).toList()).contains("finetuned", "masks", "mask-preview")
                .doesNotContain("masked-set");
        assertThat(api.get("/api/v1/jobs/" + id + "/checkpoints").json().valueStream().map(c -> c.path("kind").asString()).toList())
                .as("only models under /checkpoints").containsExactly("finetuned");
        JsonNode preview = artifacts.valueStream().filter(c -> c.path("kind").asString().equals("mask-preview")).findFirst().orElseThrow();
        assertThat(preview.path("mediaType").asString()).isEqualTo("image/png");
        assertThat(preview.path("contentUrl").asString()).isEqualTo("/api/v1/artifacts/" + preview.path("id").asString() + "/content");
        ApiClient.BinaryResponse file = api.getBytes(preview.path("contentUrl").asString());
        assertThat(file.header("Content-Type")).isEqualTo("image/png");
        assertThat(file.header("Content-Disposition")).contains(id + "-mask-preview.png");
        assertThat(ImageIO.read(new ByteArrayInputStream(file.body()))).isNotNull();
        JsonNode metrics = api.get("/api/v1/jobs/" + id + "/metrics").json();
        assertThat(metrics).hasSize(1);

        ApiClient.BinaryResponse png = api.getBytes("/api/v1/jobs/" + id + "/masks/preview.png?count=2");
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.header("Content-Type")).isEqualTo("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getHeight()).isEqualTo(2 * 28 * 3 + 2);
        // original | saliency | masked | mask (with the square's pixels coloured by whether the mask covers them)
        assertThat(image.getWidth()).isEqualTo(4 * 28 * 3 + 3 * 2);
    }

    /**
     * The stored masks, applied to the training images the job masked (rebuilt from the source job's config, as
     * the child rebuilt them), give the masked set it fine-tuned on: its fingerprint, and the round's masked fraction.
     */
    @Test
    void storesTheMasksWhichAppliedToTheTrainingImagesGiveTheMaskedSet() throws Exception {
        UUID id = UUID.fromString(maskTuneJob.path("id").asString());
        JsonNode stored = api.get("/api/v1/jobs/" + id + "/artifacts").json().valueStream()
                .filter(c -> c.path("kind").asString().equals("masks")).findFirst().orElseThrow();
        JsonNode metadata = stored.path("metadata");
        assertThat(metadata.path("images").asInt()).isEqualTo(7200);
        assertThat(metadata.path("layers").get(0).asString()).isEqualTo("fill ZERO");
        TrainConfig config = JsonMapper.builder().build().readValue(TRAIN, TrainConfig.class);
        ImageSource train = Splits.holdOut(DatasetLoader.load(config.dataset(), (Path) null).split("train"),
                config.training().validationFraction(), config.training().seed()).train();
        Path file = Files.createTempFile("masks", ".mtmk.gz");
        try {
            checkpoints.copyTo(checkpoints.forJob(id, "masks").orElseThrow().getId(), file);
            System.out.printf("Biased MNIST MaskTune: masks artifact %d bytes for %d images; %s%n", Files.size(file),
                    train.size(), metadata);
            MaskedImages masked = MaskFile.apply(file, train);
            assertThat(DatasetFingerprint.sha256(masked)).isEqualTo(metadata.path("maskedFingerprint").asString());
            assertThat(DatasetFingerprint.sha256(train)).isEqualTo(metadata.path("originalsFingerprint").asString());
            PackedMasks masks = masked.layers().get(0).masks();
            double fraction = 0;
            for (int i = 0; i < masks.size(); i++) {
                fraction += (double) masks.count(i) / (28 * 28) / masks.size();
            }
            double reported = maskTuneJob.path("result").path("rounds").get(0).path("masking").path("maskedFraction").path("mean").asDouble();
            assertThat(fraction).isCloseTo(reported, within(1e-6));
            // a masked set of 7,200 images stored as a gzip'ed copy took 1,315,612 bytes here (the last run before masks)
            assertThat(Files.size(file)).isLessThan(1_315_612 / 7);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theSeedFeatureGateVariantFineTunesAGatedModel() throws Exception {
        String id = api.submit("masktune", "{\"sourceJob\": \"" + trainJob + "\", \"strategy\": \"SEED_FEATURE_GATE\"}");
        JsonNode job = api.awaitTerminal(id, TIMEOUT);

        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        // in-distribution validation data still carries the square: the gated model keeps classifying it
        assertThat(job.path("result").path("validationAccuracy").asDouble()).isGreaterThan(0.9);
        JsonNode finetuned = api.get("/api/v1/jobs/" + id + "/checkpoints").json().valueStream()
                .filter(c -> c.path("kind").asString().equals("finetuned")).findFirst().orElseThrow();
        assertThat(finetuned.path("metadata").path("model").path("featureGate").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/jobs/" + id + "/artifacts").json().valueStream()
                .map(c -> c.path("kind").asString())).doesNotContain("masks", "masked-set", "mask-preview");
    }

    @Test
    void theRobustPresetStoresEveryResolvedKnobAndCoversAtLeastWhatThePapersMaskCovers() {
        String id = api.submit("masktune", "{\"sourceJob\": \"" + trainJob + "\", \"preset\": \"ROBUST\", \"previewCount\": 0}");
        JsonNode job = api.awaitTerminal(id, TIMEOUT);
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");

        JsonNode config = job.path("config");
        assertThat(config.path("preset").asString()).isEqualTo("ROBUST");
        assertThat(config.path("threshold").asString()).isEqualTo("MEAN_K_STD");
        assertThat(config.path("dilation").asDouble()).isEqualTo(0.5);
        assertThat(config.path("dilationUnit").asString()).isEqualTo("CAM_CELLS");
        assertThat(config.path("fill").asString()).isEqualTo("ZERO");
        JsonNode robust = job.path("result").path("rounds").get(0).path("masking");
        JsonNode paper = maskTuneJob.path("result").path("rounds").get(0).path("masking");
        assertThat(robust.path("rule").asString()).contains("dilated by 0.5 CAM_CELLS", "fill ZERO");
        // the same saliency and threshold, then a dilation: a superset of the paper's mask on every image
        assertThat(robust.path("maskedFraction").path("mean").asDouble())
                .isGreaterThan(paper.path("maskedFraction").path("mean").asDouble());
        assertThat(robust.path("shortcut").path("imagesWithResidualPixels").asDouble())
                .isLessThanOrEqualTo(paper.path("shortcut").path("imagesWithResidualPixels").asDouble());

        Response knobOverridesPreset = api.post("/api/v1/jobs/masktune",
                "{\"sourceJob\": \"" + trainJob + "\", \"preset\": \"ROBUST\", \"fill\": \"ZERO\", \"dilation\": 70}");
        assertThat(knobOverridesPreset.status()).isEqualTo(400);
        assertThat(knobOverridesPreset.json().path("errors").get(0).path("field").asString()).isEqualTo("dilation");
    }

    @Test
    void refusesASourceThatIsNotAFinishedTrainJob() {
        Response missing = api.post("/api/v1/jobs/masktune", "{\"sourceJob\": \"" + UUID.randomUUID() + "\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").get(0).path("field").asString()).isEqualTo("sourceJob");

        Response notTrain = api.post("/api/v1/jobs/masktune", "{\"sourceJob\": \"" + maskTuneJob.path("id").asString() + "\"}");
        assertThat(notTrain.status()).isEqualTo(400);
        assertThat(notTrain.json().path("detail").asString()).contains("masktune job");
    }

    private double accuracy(UUID job, String kind, ImageSet set) throws Exception {
        Path file = Files.createTempFile("model", ".ckpt");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            checkpoints.copyTo(checkpoints.forJob(job, kind).orElseThrow().getId(), file);
            LoadedModel checkpoint = CheckpointFile.read(file, manager);
            float[][] logits = Predictor.logits(checkpoint.classifier(), set, ImageBatches.evaluation(checkpoint.spec().normalization()),
                    Device.cpu(), 256);
            return ClassificationMetrics.ofLogits(logits, set.labels(), null, java.util.List.of(), 2).accuracy();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
