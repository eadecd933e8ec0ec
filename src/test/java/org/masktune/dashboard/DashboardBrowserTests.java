package org.masktune.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.masktune.support.ApiClient;
import org.masktune.support.BesideOtherTests;
import org.masktune.support.IntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (headless Chromium) against the service on a random port: a pipeline
 * started from the form on a small subset of the built-in Biased MNIST, then each page it leads to,
 * checked against the API's numbers. Every page is also checked for console errors and horizontal
 * scrolling at 390 px, and screenshotted under target/screenshots.
 */
@IntegrationTest
@TestPropertySource(properties = BesideOtherTests.CONTEXT)
@BesideOtherTests // mostly waiting on the browser and its jobs
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

    /** Waits end as soon as their condition holds; the limits are for a machine shared with other builds. */
    private static final Duration PAGE = Duration.ofMinutes(2);
    private static final Duration PIPELINE = Duration.ofMinutes(15);
    /** 600 images per split (540 to train after the 10 % hold-out), 2 epochs: the whole pipeline takes about a minute. */
    private static final int SUBSET = 600;
    private static final int EPOCHS = 2;

    @Autowired
    ApiClient api;

    private Browser browser;
    private JsonNode pipeline;

    @BeforeAll
    void startBrowser() {
        browser = Browser.start(api.base());
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void theFormStartsAPipelineWhosePageFollowsTheStagesLiveAndShowsTheSummary() {
        browser.open("/ui/start.html");
        browser.await(PAGE, "the dataset list", d -> !d.findElements(By.cssSelector("#dataset option[value='biased-mnist']")).isEmpty());
        new Select(browser.driver().findElement(By.id("dataset"))).selectByValue("biased-mnist");
        new Select(browser.driver().findElement(By.id("model"))).selectByValue("small-cnn");
        type("epochs", Integer.toString(EPOCHS));
        type("seed", "3");
        type("subsetSize", Integer.toString(SUBSET));
        browser.checkPage("start");
        browser.driver().findElement(By.id("start")).click();

        browser.await(PAGE, "the pipeline page", d -> d.getCurrentUrl().contains("/ui/pipeline.html?id="));
        String id = browser.currentPath().replaceFirst(".*id=", "");
        browser.awaitElement("li[data-stage='train']", PAGE);
        browser.markDocument();
        Map<String, Set<String>> seen = Map.of("train", new LinkedHashSet<>(), "masktune", new LinkedHashSet<>(),
                "evaluate", new LinkedHashSet<>());
        browser.await(PIPELINE, "the pipeline to finish", d -> {
            recordStages(seen);
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(browser.js("return document.body.dataset.status || null;"));
        });
        recordStages(seen);

        pipeline = api.get("/api/v1/pipelines/" + id).json();
        assertThat(pipeline.path("status").asString()).as(pipeline.toString()).isEqualTo("SUCCEEDED");
        assertThat(pipeline.path("config").path("training").path("epochs").asInt()).isEqualTo(EPOCHS);
        assertThat(pipeline.path("config").path("dataset").path("subsetSize").asInt()).isEqualTo(SUBSET);
        assertThat(browser.sameDocument()).as("the page was never reloaded").isTrue();
        // The later stages were seen not started, then finished: their states changed on the open page.
        assertThat(seen.get("masktune")).as("masktune states seen").contains("NONE", "SUCCEEDED");
        assertThat(seen.get("evaluate")).as("evaluate states seen").contains("NONE", "SUCCEEDED");
        assertThat(browser.text("#overall .status")).contains("SUCCEEDED");
        for (WebElement stage : browser.all("li[data-stage]")) {
            assertThat(stage.getText()).contains("SUCCEEDED");
        }

        List<JsonNode> rows = pipeline.path("summary").path("rows").valueStream().toList();
        assertThat(rows).isNotEmpty();
        for (JsonNode row : rows) {
            String cell = "td[data-metric='" + row.path("metric").asString() + "'][data-model='" + row.path("model").asString()
                    + "'][data-split='" + row.path("split").asString() + "']"
                    + (row.has("method") ? "[data-method='" + row.path("method").asString() + "']" : ":not([data-method])");
            assertThat(browser.text(cell)).as(cell).isEqualTo(fixed(row.path("values").get(0)));
        }
        browser.checkPage("pipeline");
    }

    @Test
    @Order(2)
    void theTrainJobPageShowsEveryEpochTheHistoryAndTheCheckpoints() throws Exception {
        String job = stageJob("train");
        browser.open("/ui/job.html?id=" + job);
        browser.awaitElement("#loss-chart[data-drawn] canvas", PAGE);
        browser.awaitElement("#accuracy-chart[data-drawn] canvas", PAGE);
        browser.awaitElement("table.checkpoints", PAGE);
        browser.awaitElement("table.history", PAGE);

        List<JsonNode> metrics = api.get("/api/v1/jobs/" + job + "/metrics").json().valueStream().toList();
        assertThat(metrics).hasSize(EPOCHS);
        assertThat(browser.all("table.epochs tbody tr")).hasSize(metrics.size());
        // two series (train, validation) with one point per epoch in each chart
        assertThat(browser.driver().findElement(By.id("loss-chart")).getDomAttribute("data-points"))
                .isEqualTo(Integer.toString(2 * metrics.size()));
        assertThat(browser.driver().findElement(By.id("accuracy-chart")).getDomAttribute("data-points"))
                .isEqualTo(Integer.toString(2 * metrics.size()));
        assertThat(seriesPixels("#loss-chart canvas")).as("loss chart's train line drawn").isGreaterThan(20);
        browser.driver().findElement(By.cssSelector("#epoch-numbers summary")).click();
        assertThat(browser.text("table.epochs tbody tr:last-child td:nth-child(5)"))
                .isEqualTo(fixed(metrics.get(metrics.size() - 1).path("validationAccuracy")));

        List<JsonNode> checkpoints = api.get("/api/v1/jobs/" + job + "/artifacts").json().valueStream().toList();
        assertThat(browser.all("table.checkpoints tbody tr")).hasSize(checkpoints.size());
        String table = browser.text("table.checkpoints");
        for (JsonNode checkpoint : checkpoints) {
            assertThat(table).contains(checkpoint.path("sha256").asString());
            assertThat(browser.all("table.checkpoints a[href='" + checkpoint.path("contentUrl").asString() + "']")).hasSize(1);
        }

        long states = api.readEvents("/api/v1/jobs/" + job + "/events", Duration.ofSeconds(30)).stream()
                .filter(e -> e.name().equals("state")).count();
        assertThat(browser.all("table.history tbody tr")).hasSize((int) states);
        assertThat(browser.text("table.history")).contains("submitted").contains("finished");
        assertThat(browser.text("#summary .status")).contains("SUCCEEDED");
        browser.checkPage("job");
    }

    @Test
    @Order(3)
    void theMaskTunePageLoadsThePreviewAndTheMaskingStatistics() {
        String job = stageJob("masktune");
        browser.open("/ui/job.html?id=" + job);
        browser.awaitElement("table.rounds", PAGE);
        browser.awaitElement("#preview-image", PAGE);
        browser.await(PAGE, "the preview image", d -> (Boolean) browser.js(
                "const i = document.getElementById('preview-image'); return i.complete && i.naturalWidth > 0;"));

        JsonNode result = api.job(job).path("result");
        JsonNode masking = result.path("rounds").get(0).path("masking");
        assertThat(browser.text("table.rounds tbody tr:first-child td.mean"))
                .isEqualTo(fixed(masking.path("maskedFraction").path("mean")));
        assertThat(browser.all("#mask-rule a[href='/ui/job.html?id=" + stageJob("train") + "']")).hasSize(1);
        browser.checkPage("masktune");
    }

    @Test
    @Order(4)
    void theEvaluationPageShowsTheWorstGroupAccuraciesAndDrawsBothPlots() {
        String evaluation = stageJob("evaluate");
        browser.open("/ui/evaluation.html?id=" + evaluation);
        browser.awaitElement("#risk-chart[data-drawn] canvas", PAGE);
        browser.awaitElement("#accuracy-chart[data-drawn] canvas", PAGE);

        JsonNode view = api.get("/api/v1/evaluations/" + evaluation).json();
        List<JsonNode> results = view.path("results").valueStream().toList();
        assertThat(results).isNotEmpty();
        for (JsonNode result : results) {
            String cell = "table.metrics tr[data-model='" + result.path("model").asString() + "'][data-split='"
                    + result.path("split").asString() + "'] td.worst-group";
            assertThat(browser.text(cell)).as(cell).isEqualTo(fixed(result.path("metrics").path("worstGroupAccuracy")));
        }
        for (String chart : List.of("#risk-chart", "#accuracy-chart")) {
            assertThat(Integer.parseInt(browser.driver().findElement(By.cssSelector(chart)).getDomAttribute("data-series")))
                    .as("%s: one line per selective method", chart).isEqualTo(4);
            assertThat(seriesPixels(chart + " canvas")).as("%s: the first curve drawn", chart).isGreaterThan(200);
        }
        List<JsonNode> selective = view.path("selective").valueStream().toList();
        assertThat(selective).isNotEmpty();
        for (JsonNode curve : selective) {
            String cell = "table.aurc td[data-split='" + curve.path("split").asString() + "'][data-method='"
                    + curve.path("method").asString() + "'][data-model='" + curve.path("model").asString() + "']";
            assertThat(browser.text(cell)).as(cell).isEqualTo(fixed(curve.path("aurc")));
        }
        browser.checkPage("evaluation");

        browser.driver().findElement(By.id("compare-link")).click();
        browser.awaitElement("table.comparison", PAGE);
        JsonNode comparison = api.get("/api/v1/evaluations/compare?ids=" + evaluation).json();
        assertThat(browser.all("table.comparison tbody tr")).hasSize(comparison.path("rows").size());
        browser.checkPage("compare");
    }

    @Test
    @Order(5)
    void theJobsListUpdatesAStatusWithoutAReloadAndItsFiltersSurviveOne() {
        browser.open("/?type=device-check");
        browser.awaitElement("#jobs table, #jobs .notice", PAGE);
        browser.markDocument();
        String job = api.submit("device-check", "{\"matrixSize\": 64, \"repeats\": 1, \"holdSeconds\": 8}");
        String row = "tr[data-job-id='" + job + "']";
        Set<String> seen = new LinkedHashSet<>();
        browser.await(Duration.ofMinutes(6), "the job to show as SUCCEEDED", d -> {
            String shown = (String) browser.js("const td = document.querySelector(arguments[0] + ' td.job-status');"
                    + "return td ? td.textContent : null;", row);
            if (shown == null) {
                return false;
            }
            seen.add(shown.replaceAll("[^A-Z]", ""));
            return shown.contains("SUCCEEDED");
        });
        assertThat(browser.sameDocument()).as("the list was never reloaded").isTrue();
        assertThat(seen).as("statuses shown for the job").hasSizeGreaterThan(1).last().isEqualTo("SUCCEEDED");
        browser.checkPage("jobs");

        new Select(browser.driver().findElement(By.id("filter-status"))).selectByValue("SUCCEEDED");
        browser.await(PAGE, "the status filter in the address", d -> d.getCurrentUrl().contains("status=SUCCEEDED"));
        assertThat(browser.driver().getCurrentUrl()).contains("type=device-check");
        browser.driver().navigate().refresh();
        browser.awaitElement(row, PAGE);
        assertThat(new Select(browser.driver().findElement(By.id("filter-status"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("SUCCEEDED");
        assertThat(new Select(browser.driver().findElement(By.id("filter-type"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("device-check");
        // read in one script: the list is re-rendered every few seconds
        List<?> rows = (List<?>) browser.js("return [...document.querySelectorAll('table.jobs tbody tr')]"
                + ".map(tr => tr.dataset.status + ' ' + tr.children[1].textContent);");
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r).isEqualTo("SUCCEEDED device-check"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    @Order(6)
    void theWorkersAndDatasetsPageShowsTheSlotsAndEachSplit() {
        browser.open("/ui/workers.html");
        browser.awaitElement("table.slots", PAGE);
        browser.awaitElement("[data-dataset='biased-mnist'] table.splits", PAGE);
        JsonNode workers = api.get("/api/v1/workers").json();
        assertThat(browser.all("table.slots tbody tr")).hasSize(workers.path("slots").size());
        JsonNode biased = api.get("/api/v1/datasets/biased-mnist").json();
        for (Map.Entry<String, JsonNode> split : biased.path("splits").properties()) {
            assertThat(browser.text("[data-dataset='biased-mnist'] tr[data-split='" + split.getKey() + "'] td.count"))
                    .isEqualTo(Integer.toString(split.getValue().path("count").asInt()));
        }
        assertThat(browser.text("[data-dataset='biased-mnist']")).contains("class0/square");
        browser.checkPage("workers");
    }

    @Test
    @Order(7)
    void aStoredTokenIsSentAsABearerHeaderWithEveryApiRequest() {
        String recorder = (String) browser.recordFetches().get("identifier");
        try {
            browser.open("/ui/workers.html");
            browser.awaitElement("table.slots", PAGE);
            assertThat(authorizations()).as("no token stored: no Authorization header").isNotEmpty().containsOnlyNulls();

            browser.driver().findElement(By.cssSelector("details.token summary")).click();
            type("api-token", "dashboard-test-token");
            browser.markDocument();
            browser.driver().findElement(By.cssSelector("details.token button[type='submit']")).click();
            browser.await(PAGE, "the page reloaded with the token", d -> !browser.sameDocument()
                    && (Boolean) browser.js("return !!document.querySelector('table.slots');"));
            browser.awaitElement("[data-dataset='biased-mnist']", PAGE);
            assertThat(authorizations()).isNotEmpty().containsOnly("Bearer dashboard-test-token");
            assertThat(browser.js("return localStorage.getItem('masktune.apiToken');")).isEqualTo("dashboard-test-token");
        } finally {
            browser.js("localStorage.removeItem('masktune.apiToken');");
            browser.stopRecordingFetches(recorder);
        }
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private List<String> authorizations() {
        List<?> seen = (List<?>) browser.js("return (window.__fetches || []).map(f => f[1]);");
        List<String> headers = new ArrayList<>();
        seen.forEach(h -> headers.add((String) h));
        return headers;
    }

    /** Adds each stage's shown state to what was seen (read in one script: the strip is re-rendered on every event). */
    private void recordStages(Map<String, Set<String>> seen) {
        List<?> stages = (List<?>) browser.js("return [...document.querySelectorAll('li[data-stage]')]"
                + ".map(li => [li.dataset.stage, li.dataset.status]);");
        for (Object stage : stages) {
            seen.get(((List<?>) stage).get(0)).add((String) ((List<?>) stage).get(1));
        }
    }

    private String stageJob(String stage) {
        assertThat(pipeline).as("the pipeline of the first test").isNotNull();
        return pipeline.path("stages").valueStream().filter(s -> s.path("name").asString().equals(stage)).findFirst()
                .orElseThrow().path("jobId").asString();
    }

    private void type(String id, String value) {
        WebElement input = browser.driver().findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    /** Pixels of the chart's canvas in the colour of its first series (#1f5fbf; axes and grid are grey). */
    private long seriesPixels(String canvas) {
        return ((Number) browser.js("const c = document.querySelector(arguments[0]);"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4)"
                + "  if (d[i + 3] > 200 && Math.abs(d[i] - 31) < 12 && Math.abs(d[i + 1] - 95) < 12 && Math.abs(d[i + 2] - 191) < 12) n++;"
                + "return n;", canvas)).longValue();
    }

    /** How the page writes a number: JavaScript's toFixed(4) rounds the exact double, half up. */
    private static String fixed(JsonNode value) {
        return value == null || value.isNull() ? "–" : new BigDecimal(value.asDouble()).setScale(4, RoundingMode.HALF_UP).toPlainString();
    }
}
