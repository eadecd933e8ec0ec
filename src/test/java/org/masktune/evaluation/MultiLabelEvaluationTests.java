package org.masktune.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.datasets.DatasetRegistry;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * EVALUATE of a multi-label pair: a small-cnn trained with sigmoid outputs on two CelebA attributes of a
 * generated folder in the real CelebA layout, MaskTuned, then evaluated. Every stored number is recomputed
 * here from predictions.csv alone, with nothing from the service's code.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiLabelEvaluationTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final List<String> ATTRIBUTES = List.of("Smiling", "Eyeglasses");
    private static final double THRESHOLD = 0.6;
    private static final int TRAIN = 48;
    private static final int VALIDATION = 24;
    private static final int TEST = 24;

    @Autowired
    ApiClient api;

    @Autowired
    DatasetRegistry datasets;

    @Autowired
    ArtifactStore checkpoints;

    String folder;
    String trainJob;
    String maskTuneJob;
    String pair;
    JsonNode evaluateJob;

    @BeforeAll
    void trainMaskTuneAndEvaluate() throws Exception {
        folder = "celeba-eval-" + UUID.randomUUID();
        writeCelebA(datasets.roots().get(0).resolve(folder));
        trainJob = api.submit("train", """
                {"dataset": {"format": "CELEBA", "path": "%s", "imageSize": 16, "attributes": ["Smiling", "Eyeglasses"]},
                 "model": "small-cnn", "training": {"epochs": 3, "batchSize": 16, "learningRate": 0.05, "seed": 3}}""".formatted(folder));
        succeeded(trainJob);
        maskTuneJob = api.submit("masktune", "{\"sourceJob\": \"" + trainJob + "\"}");
        succeeded(maskTuneJob);
        pair = api.submit("evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\"}, {\"job\": \"" + maskTuneJob + "\"}],"
                + " \"agreementThreshold\": " + THRESHOLD + ", \"coverages\": [100, 90, 75]}");
        evaluateJob = succeeded(pair);
    }

    private JsonNode succeeded(String id) {
        return api.awaitSucceeded(id, TIMEOUT);
    }

    @Test
    void storedPerAttributeMetricsAndTheAgreementRuleEqualTheirRecomputationFromPredictionsCsv() {
        Response download = api.get("/api/v1/evaluations/" + pair + "/predictions.csv");
        assertThat(download.status()).isEqualTo(200);
        String[] lines = download.body().split("\n");
        List<String> header = List.of(lines[0].split(","));
        assertThat(header).containsExactly("index", "split", "label", "group", "y_Smiling", "y_Eyeglasses", "erm_p_Smiling",
                "erm_p_Eyeglasses", "masktune_p_Smiling", "masktune_p_Eyeglasses", "score");
        Map<String, List<String[]>> bySplit = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] row = lines[i].split(",", -1);
            bySplit.computeIfAbsent(row[1], k -> new ArrayList<>()).add(row);
        }
        assertThat(bySplit.keySet()).containsExactlyInAnyOrder("validation", "test");
        assertThat(bySplit.get("validation")).hasSize(VALIDATION);
        assertThat(bySplit.get("test")).hasSize(TEST);

        JsonNode evaluation = api.get("/api/v1/evaluations/" + pair).json();
        assertThat(evaluation.path("splits").valueStream().map(JsonNode::asString).toList()).containsExactly("validation", "test");
        Map<String, JsonNode> results = new HashMap<>();
        for (JsonNode r : evaluation.path("results")) {
            results.put(r.path("model").asString() + "/" + r.path("split").asString(), r.path("metrics"));
        }
        assertThat(results).hasSize(2 * 3);
        int accepted = 0;
        int rejected = 0;
        for (String split : List.of("validation", "test")) {
            List<Sample> samples = bySplit.get(split).stream().map(Sample::of).toList();
            for (String model : List.of("erm", "masktune")) {
                int m = model.equals("erm") ? 0 : 1;
                assertMetrics(results.get(model + "/" + split), samples, s -> true, m, model + " on " + split);
            }

            JsonNode agreement = results.get("combined/" + split).path("agreement");
            int agreed = 0;
            int acceptedHere = 0;
            for (Sample s : samples) {
                agreed += s.agree() ? 1 : 0;
                acceptedHere += s.accepted() ? 1 : 0;
                assertThat(s.score).as("score column").isEqualTo(s.agree() ? s.confidence() : s.confidence() - 1f);
            }
            assertThat(agreement.path("threshold").asDouble()).isEqualTo(THRESHOLD);
            assertThat(agreement.path("total").asInt()).isEqualTo(samples.size());
            assertThat(agreement.path("agreed").asInt()).as("agreed on " + split).isEqualTo(agreed);
            assertThat(agreement.path("accepted").asInt()).as("accepted on " + split).isEqualTo(acceptedHere);
            assertThat(agreement.path("agreementRate").asDouble()).isCloseTo((double) agreed / samples.size(), within(1e-12));
            assertThat(agreement.path("rejectionRate").asDouble()).isCloseTo(1 - (double) acceptedHere / samples.size(), within(1e-12));
            assertMetrics(agreement.path("onAccepted"), samples, Sample::accepted, 1, "accepted on " + split);
            accepted += acceptedHere;
            rejected += samples.size() - acceptedHere;
        }
        // the data make the rule do something either way, or the recomputation above proves little
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
    }

    @Test
    void theAgreementCurveCountsASampleRightWhenEveryAttributeIsAndIsCalibratedOnValidation() {
        List<Sample> validation = new ArrayList<>();
        List<Sample> test = new ArrayList<>();
        String[] lines = api.get("/api/v1/evaluations/" + pair + "/predictions.csv").body().split("\n");
        for (int i = 1; i < lines.length; i++) {
            Sample s = Sample.of(lines[i].split(",", -1));
            (s.split.equals("validation") ? validation : test).add(s);
        }
        JsonNode curves = api.get("/api/v1/evaluations/" + pair + "/curves").json();
        assertThat(curves.valueStream().map(c -> c.path("split").asString() + ":" + c.path("method").asString() + "/"
                + c.path("model").asString()).toList()).containsExactly("validation:agreement/combined", "test:agreement/combined");
        JsonNode curve = api.get("/api/v1/evaluations/" + pair + "/curves?split=test").json().get(0);

        JsonNode operating = curve.path("operating");
        List<Sample> accepted = test.stream().filter(Sample::accepted).toList();
        assertThat(operating.path("threshold").asDouble()).isEqualTo(THRESHOLD);
        assertThat(operating.path("accepted").asInt()).isEqualTo(accepted.size());
        assertThat(operating.path("coverage").asDouble()).isCloseTo((double) accepted.size() / test.size(), within(1e-12));
        assertThat(operating.path("accuracy").asDouble()).isCloseTo(exactMatchRate(accepted), within(1e-12));

        // AURC: the mean over samples i of the exact-match error rate of {score >= score_i}
        double area = 0;
        for (Sample i : test) {
            List<Sample> kept = test.stream().filter(s -> s.score >= i.score).toList();
            area += 1 - exactMatchRate(kept);
        }
        assertThat(curve.path("aurc").asDouble()).isCloseTo(area / test.size(), within(1e-12));

        float[] descending = new float[validation.size()];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = validation.get(i).score;
        }
        Arrays.sort(descending);
        for (int i = 0, j = descending.length - 1; i < j; i++, j--) {
            float t = descending[i];
            descending[i] = descending[j];
            descending[j] = t;
        }
        assertThat(curve.path("calibrated")).hasSize(3);
        for (JsonNode point : curve.path("calibrated")) {
            long k = (long) Math.rint(point.path("targetCoverage").asDouble() / 100 * descending.length);
            float threshold = descending[(int) Math.min(k, descending.length - 1)];
            List<Sample> kept = test.stream().filter(s -> s.score >= threshold).toList();
            assertThat(point.path("threshold").asDouble()).isEqualTo((double) threshold);
            assertThat(point.path("accepted").asInt()).isEqualTo(kept.size());
            if (!kept.isEmpty()) {
                assertThat(point.path("accuracy").asDouble()).isCloseTo(exactMatchRate(kept), within(1e-12));
            }
        }
    }

    @Test
    void theJobSummaryAndTheComparisonHeadlineMacroF1() {
        JsonNode summary = evaluateJob.path("result");
        assertThat(summary.has("accuracy")).isFalse();
        JsonNode evaluation = api.get("/api/v1/evaluations/" + pair).json();
        for (JsonNode r : evaluation.path("results")) {
            if (!r.path("model").asString().equals("combined")) {
                assertThat(summary.path("macroF1").path(r.path("split").asString()).path(r.path("model").asString()).asDouble())
                        .isEqualTo(r.path("metrics").path("macroF1").asDouble());
            }
        }
        JsonNode rows = api.get("/api/v1/evaluations/compare?ids=" + pair).json().path("rows");
        assertThat(rows.valueStream().filter(r -> r.path("metric").asString().equals("macroF1")).count()).isEqualTo(2 * 2);
        assertThat(rows.valueStream().filter(r -> r.path("metric").asString().equals("aurc")).count()).isEqualTo(2);
        assertThat(api.get("/api/v1/evaluations/" + pair + "/curves.svg").status()).isEqualTo(200);
    }

    @Test
    void modelsAndDatasetsThatDoNotMatchAreRefusedAtSubmit() throws Exception {
        String models = "\"models\": [{\"job\": \"" + trainJob + "\"}, {\"job\": \"" + maskTuneJob + "\"}]";

        Response otherAttributes = api.post("/api/v1/jobs/evaluate", "{" + models + ", \"dataset\": {\"format\": \"CELEBA\", \"path\": \""
                + folder + "\", \"imageSize\": 16, \"attributes\": [\"Eyeglasses\", \"Smiling\"]}}");
        assertProblem(otherAttributes, "dataset");
        assertThat(otherAttributes.json().path("detail").asString())
                .contains("trained multi-label on the attributes [Smiling, Eyeglasses]", "multi-label on the attributes [Eyeglasses, Smiling]");

        Response singleLabel = api.post("/api/v1/jobs/evaluate", "{" + models + ", \"dataset\": {\"format\": \"CELEBA\", \"path\": \""
                + folder + "\", \"imageSize\": 16}}");
        assertProblem(singleLabel, "dataset");
        assertThat(singleLabel.json().path("detail").asString()).contains("the dataset to evaluate is single-label");

        assertProblem(api.post("/api/v1/jobs/evaluate", "{" + models + ", \"classThresholdWeights\": [1.0, 1.0]}"), "classThresholdWeights");

        // a model with two outputs that mean other things (its metadata, as a checkpoint would record it)
        UUID swapped = MetadataOnlyCheckpoints.store(checkpoints, trainJob, "swapped-attributes",
                "{\"architecture\": \"small-cnn\", \"classes\": 2, \"classNames\": [\"Eyeglasses\", \"Smiling\"]}");
        Response differentOutputs = api.post("/api/v1/jobs/evaluate",
                "{\"models\": [{\"job\": \"" + trainJob + "\"}, {\"checkpoint\": \"" + swapped + "\"}]}");
        assertProblem(differentOutputs, "models");
        assertThat(differentOutputs.json().path("detail").asString()).contains("different outputs", "[Smiling, Eyeglasses]",
                "[Eyeglasses, Smiling]");
    }

    @Test
    void unknownSplitsOfARegisteredFolderAreRefusedAtSubmit() {
        String name = "celeba-eval-" + Integer.toHexString(folder.hashCode());
        Response registered = api.post("/api/v1/datasets", "{\"name\": \"" + name + "\", \"spec\": {\"format\": \"CELEBA\", \"path\": \""
                + folder + "\", \"imageSize\": 16}}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(202);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (api.get("/api/v1/datasets/" + name).json().path("status").asString().equals("PREPARING")) {
            assertThat(System.nanoTime()).as("dataset still preparing").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(api.get("/api/v1/datasets/" + name).json().path("status").asString()).isEqualTo("READY");

        // the train job's spec differs from the registered one (attributes), the folder is the same
        Response unknown = api.post("/api/v1/jobs/evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\"}],"
                + " \"splits\": [\"validation\", \"holdout\"]}");
        assertProblem(unknown, "splits[1]");
        assertThat(unknown.json().path("detail").asString()).contains("registered as '" + name + "'", "[test, train, val, validation]");
    }

    private static void assertProblem(Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo(field);
    }

    /** Per-attribute counts and rates at p >= 0.5 (precision, recall 0 where undefined, as scikit-learn's zero_division=0). */
    private static void assertMetrics(JsonNode stored, List<Sample> samples, java.util.function.Predicate<Sample> include, int model,
            String what) {
        List<Sample> kept = samples.stream().filter(include).toList();
        assertThat(stored.path("count").asInt()).as(what).isEqualTo(kept.size());
        double f1Sum = 0;
        for (int j = 0; j < ATTRIBUTES.size(); j++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            int tn = 0;
            for (Sample s : kept) {
                boolean predicted = s.p[model][j] >= 0.5f;
                boolean actual = s.y[j] == 1;
                tp += predicted && actual ? 1 : 0;
                fp += predicted && !actual ? 1 : 0;
                fn += !predicted && actual ? 1 : 0;
                tn += !predicted && !actual ? 1 : 0;
            }
            JsonNode a = stored.path("attributes").get(j);
            String where = what + ", " + ATTRIBUTES.get(j);
            assertThat(a.path("name").asString()).isEqualTo(ATTRIBUTES.get(j));
            assertThat(List.of(a.path("truePositives").asInt(), a.path("falsePositives").asInt(), a.path("falseNegatives").asInt(),
                    a.path("trueNegatives").asInt())).as(where).containsExactly(tp, fp, fn, tn);
            if (kept.isEmpty()) {
                assertThat(a.path("f1").isNull()).as(where).isTrue();
                continue;
            }
            double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            assertThat(a.path("precision").asDouble()).as(where).isCloseTo(precision, within(1e-12));
            assertThat(a.path("recall").asDouble()).as(where).isCloseTo(recall, within(1e-12));
            assertThat(a.path("f1").asDouble()).as(where).isCloseTo(f1, within(1e-12));
            assertThat(a.path("accuracy").asDouble()).as(where).isCloseTo((double) (tp + tn) / kept.size(), within(1e-12));
            f1Sum += f1;
        }
        if (!kept.isEmpty()) {
            assertThat(stored.path("macroF1").asDouble()).as(what).isCloseTo(f1Sum / ATTRIBUTES.size(), within(1e-12));
            long exact = kept.stream().filter(s -> s.exactMatch(model)).count();
            assertThat(stored.path("exactMatchAccuracy").asDouble()).as(what).isCloseTo((double) exact / kept.size(), within(1e-12));
        }
    }

    private static double exactMatchRate(List<Sample> samples) {
        return (double) samples.stream().filter(s -> s.exactMatch(1)).count() / samples.size();
    }

    /** One CSV row: the targets, each model's sigmoid outputs, the score. */
    private record Sample(String split, int[] y, float[][] p, float score) {

        static Sample of(String[] row) {
            int a = ATTRIBUTES.size();
            int[] y = new int[a];
            float[][] p = new float[2][a];
            for (int j = 0; j < a; j++) {
                y[j] = Integer.parseInt(row[4 + j]);
                p[0][j] = Float.parseFloat(row[4 + a + j]);
                p[1][j] = Float.parseFloat(row[4 + 2 * a + j]);
            }
            return new Sample(row[1], y, p, Float.parseFloat(row[4 + 3 * a]));
        }

        boolean agree() {
            for (int j = 0; j < y.length; j++) {
                if ((p[0][j] >= 0.5f) != (p[1][j] >= 0.5f)) {
                    return false;
                }
            }
            return true;
        }

        /** The MaskTune model's sureness of its least sure attribute. */
        float confidence() {
            float c = 1f;
            for (float q : p[1]) {
                c = Math.min(c, Math.max(q, 1 - q));
            }
            return c;
        }

        boolean accepted() {
            return agree() && confidence() >= THRESHOLD;
        }

        boolean exactMatch(int model) {
            for (int j = 0; j < y.length; j++) {
                if ((p[model][j] >= 0.5f) != (y[j] == 1)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * 96 16×16 JPEGs in the CelebA layout: Smiling = a bright image, Eyeglasses = a red tint (both learnable,
     * in every combination); 48 train, 24 val, 24 test; Blond_Hair and Male present as CelebA has them.
     */
    private static void writeCelebA(Path root) throws Exception {
        Path images = Files.createDirectories(root.resolve("img_align_celeba"));
        Random random = new Random(5);
        StringBuilder attributes = new StringBuilder("image_id,Blond_Hair,Eyeglasses,Male,Smiling\n");
        StringBuilder partition = new StringBuilder("image_id,partition\n");
        for (int k = 0; k < TRAIN + VALIDATION + TEST; k++) {
            String name = String.format("%06d.jpg", k + 1);
            boolean smiling = k % 2 == 0;
            boolean eyeglasses = (k / 2) % 2 == 0;
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    int v = (smiling ? 170 : 50) + random.nextInt(40);
                    int r = eyeglasses ? Math.min(255, v + 70) : v;
                    image.setRGB(x, y, (r << 16) | (v << 8) | v);
                }
            }
            ImageIO.write(image, "jpg", images.resolve(name).toFile());
            attributes.append(name).append(',').append(random.nextBoolean() ? 1 : -1).append(',').append(eyeglasses ? 1 : -1)
                    .append(',').append(random.nextBoolean() ? 1 : -1).append(',').append(smiling ? 1 : -1).append('\n');
            partition.append(name).append(',').append(k < TRAIN ? 0 : k < TRAIN + VALIDATION ? 1 : 2).append('\n');
        }
        Files.writeString(root.resolve("list_attr_celeba.csv"), attributes);
        Files.writeString(root.resolve("list_eval_partition.csv"), partition);
    }
}
