package org.masktune.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.support.ApiClient;
import org.masktune.support.TrainedJobs;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

/**
 * EVALUATE through the API on a small-cnn trained on 2,000 Biased MNIST digits and MaskTuned from it:
 * what is stored, and that the downloadable per-sample predictions recompute it exactly.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationJobTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String TRAIN = """
            {"dataset": {"format": "BUILTIN", "name": "biased-mnist", "subsetSize": 2000},
             "model": "small-cnn",
             "training": {"epochs": 2, "batchSize": 64, "seed": 7}}""";
    private static final List<String> SPLITS = List.of("validation", "test-conflicting", "test-original");

    @Autowired
    ApiClient api;

    @Autowired
    ArtifactStore checkpoints;

    @Autowired
    TrainedJobs trained;

    @Autowired
    JdbcTemplate jdbc;

    String trainJob;
    String maskTuneJob;
    String pair;
    String single;

    @BeforeAll
    void trainMaskTuneAndEvaluate() {
        trainJob = trained.succeeded(TRAIN, TIMEOUT); // the same job TrainJobTests reads: trained once per context
        maskTuneJob = api.submit("masktune", "{\"sourceJob\": \"" + trainJob + "\"}");
        succeeded(maskTuneJob);
        pair = api.submit("evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\"}, {\"job\": \"" + maskTuneJob + "\"}]}");
        single = api.submit("evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\", \"kind\": \"last\"}]}");
        succeeded(pair);
        succeeded(single);
    }

    private JsonNode succeeded(String id) {
        return api.awaitSucceeded(id, TIMEOUT);
    }

    @Test
    void storesMetricsWithGroupsForBothModelsOnEverySplit() {
        JsonNode evaluation = api.get("/api/v1/evaluations/" + pair).json();

        assertThat(evaluation.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(strings(evaluation.path("splits"))).containsExactlyElementsOf(SPLITS);
        assertThat(evaluation.path("models").get(0).path("label").asString()).isEqualTo("erm");
        assertThat(evaluation.path("models").get(0).path("kind").asString()).isEqualTo("best");
        assertThat(evaluation.path("models").get(1).path("label").asString()).isEqualTo("masktune");
        assertThat(evaluation.path("models").get(1).path("kind").asString()).isEqualTo("finetuned");
        Map<String, JsonNode> results = new HashMap<>();
        for (JsonNode r : evaluation.path("results")) {
            results.put(r.path("model").asString() + "/" + r.path("split").asString(), r.path("metrics"));
        }
        assertThat(results).hasSize(3 * 3);
        for (String split : SPLITS) {
            for (String model : List.of("erm", "masktune", "combined")) {
                JsonNode m = results.get(model + "/" + split);
                assertThat(m).as(model + "/" + split).isNotNull();
                assertThat(m.path("accuracy").asDouble()).isBetween(0.0, 1.0);
                assertThat(m.path("confusion")).hasSize(2);
                assertThat(m.path("perClassAccuracy")).hasSize(2);
                assertThat(m.path("groups").size()).as("groups of " + split).isGreaterThanOrEqualTo(2);
                assertThat(m.path("worstGroupAccuracy").isNumber()).isTrue();
                assertThat(m.path("worstGroupAccuracy").asDouble()).isLessThanOrEqualTo(m.path("averageGroupAccuracy").asDouble());
                assertThat(m.path("negativeLogLikelihood").asDouble()).isPositive();
                assertThat(m.path("expectedCalibrationError").asDouble()).isBetween(0.0, 1.0);
            }
            assertThat(results.get("combined/" + split).path("agreement").path("threshold").asDouble()).isEqualTo(0.8);
        }
        assertThat(results.get("erm/test-conflicting").path("count").asInt()).isEqualTo(2000);
        assertThat(results.get("erm/validation").path("count").asInt()).isEqualTo(200);   // 10 % of the 2,000, as training held out
        // every test-conflicting image is bias-conflicting: class 0 without the square, class 1 with it
        assertThat(strings(results.get("erm/test-conflicting").path("groups"), "name"))
                .containsExactly("class0/no-square", "class1/square");
    }

    @Test
    void storesEveryMethodsCurvesAndAurc() {
        JsonNode curves = api.get("/api/v1/evaluations/" + pair + "/curves").json();

        List<String> keys = new ArrayList<>();
        for (JsonNode c : curves) {
            keys.add(c.path("split").asString() + ":" + c.path("method").asString() + "/" + c.path("model").asString());
            assertThat(c.path("curve").size()).isBetween(2, 1000);
            assertThat(c.path("curve").size()).isLessThanOrEqualTo(c.path("curvePoints").asInt());
            JsonNode last = c.path("curve").get(c.path("curve").size() - 1);
            assertThat(last.path("coverage").asDouble()).isEqualTo(1.0);
            assertThat(c.path("aurc").asDouble()).isBetween(0.0, 1.0);
            assertThat(c.path("calibrated")).hasSize(5);
        }
        for (String split : SPLITS) {
            assertThat(keys).contains(split + ":max-softmax/erm", split + ":max-softmax/masktune", split + ":product-softmax/combined",
                    split + ":agreement/combined");
        }
        assertThat(keys).hasSize(3 * 4);
        Integer rows = jdbc.queryForObject("select count(*) from selective_curves where evaluation_id = ?::uuid and kind = 'operating'",
                Integer.class, pair);
        assertThat(rows).isEqualTo(3);   // the agreement rule's fixed-threshold point, per split

        Response csv = api.get("/api/v1/evaluations/" + pair + "/curves.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\n");
        assertThat(lines[0]).isEqualTo("method,model,split,kind,seq,target_coverage,threshold,accepted,coverage,accuracy,risk");
        Integer stored = jdbc.queryForObject("select count(*) from selective_curves where evaluation_id = ?::uuid", Integer.class, pair);
        assertThat(lines).hasSize(stored + 1);
    }

    /** The stored numbers, recomputed here from predictions.csv alone, with nothing from the service's code. */
    @Test
    void predictionsCsvRecomputesTheStoredAccuracyAndCalibratedPointsExactly() {
        Response download = api.get("/api/v1/evaluations/" + pair + "/predictions.csv");
        assertThat(download.status()).isEqualTo(200);
        String[] lines = download.body().split("\n");
        List<String> header = List.of(lines[0].split(","));
        assertThat(header).containsExactly("index", "split", "label", "group", "erm_p0", "erm_p1", "masktune_p0", "masktune_p1",
                "score", "prediction");
        Map<String, List<String[]>> bySplit = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] row = lines[i].split(",", -1);
            bySplit.computeIfAbsent(row[1], k -> new ArrayList<>()).add(row);
        }
        assertThat(bySplit.keySet()).containsExactlyInAnyOrderElementsOf(SPLITS);

        JsonNode evaluation = api.get("/api/v1/evaluations/" + pair).json();
        int compared = 0;
        for (JsonNode r : evaluation.path("results")) {
            String model = r.path("model").asString();
            if (model.equals("combined")) {
                continue;
            }
            int first = header.indexOf(model + "_p0");
            List<String[]> rows = bySplit.get(r.path("split").asString());
            int right = 0;
            for (String[] row : rows) {
                float p0 = Float.parseFloat(row[first]);
                float p1 = Float.parseFloat(row[first + 1]);
                int predicted = p1 > p0 ? 1 : 0;   // first index on ties, as argmax
                right += predicted == Integer.parseInt(row[2]) ? 1 : 0;
            }
            assertThat(r.path("metrics").path("accuracy").asDouble()).as(model + " on " + r.path("split").asString())
                    .isCloseTo((double) right / rows.size(), within(1e-9));
            compared++;
        }
        assertThat(compared).isEqualTo(6);

        // product-softmax, calibrated on validation (reference §2), evaluated on test-conflicting
        float[] validation = bySplit.get("validation").stream().map(row -> Float.parseFloat(row[8])).collect(floats());
        List<String[]> test = bySplit.get("test-conflicting");
        JsonNode curve = api.get("/api/v1/evaluations/" + pair + "/curves?split=test-conflicting&method=product-softmax").json().get(0);
        assertThat(curve.path("calibrated")).hasSize(5);
        for (JsonNode point : curve.path("calibrated")) {
            double target = point.path("targetCoverage").asDouble();
            float[] descending = validation.clone();
            Arrays.sort(descending);
            reverse(descending);
            long k = (long) Math.rint(target / 100 * descending.length);   // Python's round: half to even
            float threshold = descending[(int) Math.min(k, descending.length - 1)];
            int accepted = 0;
            int right = 0;
            for (String[] row : test) {
                if (Float.parseFloat(row[8]) >= threshold) {
                    accepted++;
                    right += row[9].equals(row[2]) ? 1 : 0;
                }
            }
            assertThat(point.path("threshold").asDouble()).as("threshold at " + target).isCloseTo(threshold, within(1e-9));
            assertThat(point.path("accepted").asInt()).isEqualTo(accepted);
            assertThat(point.path("coverage").asDouble()).isCloseTo((double) accepted / test.size(), within(1e-9));
            assertThat(point.path("accuracy").asDouble()).isCloseTo((double) right / accepted, within(1e-9));
        }
        // and the score column is softmax(p_erm * p_masktune) of the probability columns
        for (String[] row : test.subList(0, 50)) {
            double a = Float.parseFloat(row[4]) * Float.parseFloat(row[6]);
            double b = Float.parseFloat(row[5]) * Float.parseFloat(row[7]);
            double max = Math.max(a, b);
            double s = Math.exp(max - max) / (Math.exp(a - max) + Math.exp(b - max));
            assertThat(Double.parseDouble(row[8])).isCloseTo(s, within(1e-6));
        }
    }

    @Test
    void svgIsAPlotWithOneLinePerCurveInEachPanel() throws Exception {
        Response svg = api.get("/api/v1/evaluations/" + pair + "/curves.svg");
        assertThat(svg.status()).isEqualTo(200);
        assertThat(svg.header("Content-Type")).startsWith("image/svg+xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.body().getBytes(StandardCharsets.UTF_8)));

        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        int curves = api.get("/api/v1/evaluations/" + pair + "/curves").json().size();
        // a risk-coverage and an accuracy-coverage panel per split
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2 * curves);
        assertThat(doc.getElementsByTagName("circle").getLength()).isGreaterThanOrEqualTo(2 * curves);
        assertThat(svg.body()).contains("coverage", "selective risk", "Legend", "product-softmax", "max-softmax (erm)");
        assertThat(svg.body()).doesNotContain("<script");
    }

    @Test
    void aSingleModelGetsMaxSoftmaxOnly() {
        JsonNode evaluation = api.get("/api/v1/evaluations/" + single).json();

        assertThat(evaluation.path("models")).hasSize(1);
        assertThat(evaluation.path("models").get(0).path("kind").asString()).isEqualTo("last");
        assertThat(evaluation.path("results").valueStream().map(r -> r.path("model").asString()).distinct().toList())
                .containsExactly("erm");
        assertThat(evaluation.path("selective").valueStream().map(s -> s.path("method").asString()).distinct().toList())
                .containsExactly("max-softmax");
        assertThat(evaluation.path("selective")).hasSize(3);
        String header = api.get("/api/v1/evaluations/" + single + "/predictions.csv").body().split("\n")[0];
        assertThat(header).isEqualTo("index,split,label,group,erm_p0,erm_p1,score,prediction");
        JsonNode predictions = api.get("/api/v1/jobs/" + single + "/artifacts").json().get(0);
        assertThat(predictions.path("kind").asString()).isEqualTo("predictions");
        assertThat(predictions.path("mediaType").asString()).isEqualTo("text/csv");
        assertThat(predictions.path("metadata").path("provenance").path("jobId").asString()).as("the run's provenance is on every artifact")
                .isEqualTo(single);
        assertThat(predictions.path("metadata").path("provenance").path("jobType").asString()).isEqualTo("evaluate");
    }

    @Test
    void modelsWithDifferentClassCountsAreRefused() throws Exception {
        // a checkpoint whose metadata says it has 10 outputs (as a mnist-10k model's does)
        // stored on the MaskTune job, not on the shared train job, whose checkpoint list other classes read
        UUID ten = MetadataOnlyCheckpoints.store(checkpoints, maskTuneJob, "ten-classes", "{\"architecture\": \"small-cnn\", \"classes\": 10}");

        Response refused = api.post("/api/v1/jobs/evaluate",
                "{\"models\": [{\"job\": \"" + trainJob + "\"}, {\"checkpoint\": \"" + ten + "\"}]}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("errors").get(0).path("field").asString()).isEqualTo("models");
        assertThat(refused.json().path("detail").asString()).contains("different class counts", "has 2", "has 10");
    }

    @Test
    void otherInvalidRequestsNameTheField() {
        Response unknownJob = api.post("/api/v1/jobs/evaluate", "{\"models\": [{\"job\": \"" + UUID.randomUUID() + "\"}]}");
        assertThat(unknownJob.status()).isEqualTo(400);
        assertThat(unknownJob.json().path("errors").get(0).path("field").asString()).isEqualTo("models[0].job");

        Response wrongKind = api.post("/api/v1/jobs/evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\", \"kind\": \"finetuned\"}]}");
        assertThat(wrongKind.status()).isEqualTo(400);
        assertThat(wrongKind.json().path("errors").get(0).path("field").asString()).isEqualTo("models[0].kind");

        Response noSplit = api.post("/api/v1/jobs/evaluate",
                "{\"models\": [{\"job\": \"" + trainJob + "\"}], \"splits\": [\"validation\", \"holdout\"]}");
        assertThat(noSplit.status()).isEqualTo(400);
        assertThat(noSplit.json().path("errors").get(0).path("field").asString()).isEqualTo("splits[1]");
        assertThat(noSplit.json().path("detail").asString()).contains("test-conflicting");

        Response three = api.post("/api/v1/jobs/evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\"}, {\"job\": \"" + trainJob
                + "\"}, {\"job\": \"" + trainJob + "\"}]}");
        assertThat(three.status()).isEqualTo(400);
        assertThat(three.json().path("errors").get(0).path("field").asString()).isEqualTo("models");

        Response tooMany = api.get("/api/v1/evaluations/compare?ids=" + String.join(",", java.util.Collections.nCopies(21, pair)));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("errors").get(0).path("field").asString()).isEqualTo("ids");
    }

    @Test
    void biasedMnistSplitsOfAFolderRegisteredWithoutTheTransformAreAccepted() throws Exception {
        // the shipped digits as the user's MNIST IDX folder, registered plain (splits train and test only)
        String folder = "eval-" + UUID.randomUUID();
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/test-datasets", folder));
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            try (var in = EvaluationJobTests.class.getResourceAsStream("/datasets/mnist-10k/" + file)) {
                java.nio.file.Files.copy(in, dir.resolve(file));
            }
        }
        Response registered = api.post("/api/v1/datasets",
                "{\"name\": \"" + folder + "\", \"spec\": {\"format\": \"IDX\", \"path\": \"" + folder + "\"}}");
        assertThat(registered.status()).as(registered.body()).isBetween(200, 202);

        Response submitted = api.post("/api/v1/jobs/evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\"}],"
                + " \"dataset\": {\"format\": \"IDX\", \"path\": \"" + folder + "\", \"biasedMnist\": {\"trainConflictRatio\": 0.0}},"
                + " \"splits\": [\"test-conflicting\"]}");

        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        api.post("/api/v1/jobs/" + submitted.json().path("id").asString() + "/cancel", "");

        Response unknown = api.post("/api/v1/jobs/evaluate", "{\"models\": [{\"job\": \"" + trainJob + "\"}],"
                + " \"dataset\": {\"format\": \"IDX\", \"path\": \"" + folder + "\", \"biasedMnist\": {}},"
                + " \"splits\": [\"test-unbiased\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors").get(0).path("field").asString()).isEqualTo("splits[0]");
        assertThat(unknown.json().path("detail").asString()).contains("test-conflicting", "test-original");
    }

    @Test
    void anUnknownEvaluationIsA404Problem() {
        for (String path : List.of("", "/curves", "/curves.csv", "/curves.svg", "/predictions.csv")) {
            Response missing = api.get("/api/v1/evaluations/" + UUID.randomUUID() + path);
            assertThat(missing.status()).as(path).isEqualTo(404);
            assertThat(missing.header("Content-Type")).as(path).startsWith("application/problem+json");
        }
        Response notAnEvaluation = api.get("/api/v1/evaluations/" + trainJob);
        assertThat(notAnEvaluation.status()).isEqualTo(404);
        assertThat(notAnEvaluation.json().path("detail").asString()).contains("train job");
        assertThat(api.get("/api/v1/evaluations/compare?ids=" + pair + "," + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void compareLinesUpBothEvaluations() {
        JsonNode comparison = api.get("/api/v1/evaluations/compare?ids=" + pair + "," + single).json();

        assertThat(strings(comparison.path("evaluations"), "id")).containsExactly(pair, single);
        JsonNode ermConflicting = find(comparison.path("rows"), "accuracy", "test-conflicting", "erm", null);
        assertThat(ermConflicting.path("values")).hasSize(2);
        assertThat(ermConflicting.path("values").get(0).asDouble()).isBetween(0.0, 1.0);
        assertThat(ermConflicting.path("values").get(1).asDouble()).isBetween(0.0, 1.0);
        JsonNode combined = find(comparison.path("rows"), "aurc", "test-conflicting", "combined", "product-softmax");
        assertThat(combined.path("values").get(0).isNumber()).isTrue();
        assertThat(combined.path("values").get(1).isNull()).isTrue();   // the single model has no product-softmax
        assertThat(find(comparison.path("rows"), "worstGroupAccuracy", "test-original", "masktune", null)).isNotNull();
    }

    private static JsonNode find(JsonNode rows, String metric, String split, String model, String method) {
        for (JsonNode row : rows) {
            if (row.path("metric").asString().equals(metric) && row.path("split").asString().equals(split)
                    && row.path("model").asString().equals(model) && (method == null || row.path("method").asString().equals(method))) {
                return row;
            }
        }
        throw new AssertionError("no row " + metric + " " + split + " " + model + " " + method + " in " + rows);
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static List<String> strings(JsonNode array, String field) {
        return array.valueStream().map(n -> n.path(field).asString()).toList();
    }

    private static java.util.stream.Collector<Float, ?, float[]> floats() {
        return java.util.stream.Collector.of(ArrayList<Float>::new, List::add, (a, b) -> {
            a.addAll(b);
            return a;
        }, list -> {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
            return out;
        });
    }

    private static void reverse(float[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
