package org.masktune.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, for the dashboard's tests. Uses Debian's {@code chromium} and
 * {@code chromium-driver} (or CHROME_BIN / CHROMEDRIVER); never downloads a browser. Without them the
 * tests are skipped with the reason, except under CI ({@code CI=true}), where they fail.
 */
final class Browser implements AutoCloseable {

    static final Dimension LAPTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final String base;

    private Browser(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static Browser start(String base) {
        Optional<Path> chromium = find("CHROME_BIN", "chromium", "chromium-browser", "google-chrome");
        Optional<Path> chromedriver = find("CHROMEDRIVER", "chromedriver");
        if (chromium.isEmpty() || chromedriver.isEmpty()) {
            String reason = "no headless browser: needs chromium and chromedriver on the PATH (Debian: apt-get install chromium"
                    + " chromium-driver) or CHROME_BIN and CHROMEDRIVER; found browser " + chromium.orElse(null)
                    + ", driver " + chromedriver.orElse(null);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + " (CI=true: the browser tests must run)");
            }
            Assumptions.abort(reason);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--disable-background-networking", "--hide-scrollbars",
                "--lang=en-GB", "--window-size=" + LAPTOP.width + "," + LAPTOP.height);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(2));
        return new Browser(driver, base);
    }

    private static Optional<Path> find(String env, String... names) {
        String configured = System.getenv(env);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return Stream.of(names)
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
    }

    String currentPath() {
        return driver.getCurrentUrl().substring(base.length());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).withMessage(what)
                .ignoring(StaleElementReferenceException.class) // the pages re-render as data arrives
                .until(condition);
    }

    WebElement awaitElement(String css, Duration timeout) {
        return await(timeout, "element " + css, d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The element's visible text (read again if the page re-rendered it meanwhile). */
    String text(String css) {
        return await(Duration.ofSeconds(30), "text of " + css, d -> d.findElement(By.cssSelector(css)).getText().trim());
    }

    /** Marks the loaded document; {@link #sameDocument()} tells whether it is still the one shown (no reload). */
    void markDocument() {
        js("window.__dashboardTestMarker = 'kept';");
    }

    boolean sameDocument() {
        return "kept".equals(js("return window.__dashboardTestMarker || null;"));
    }

    /** The console's errors since the last call (SEVERE entries: script errors, failed requests). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    /**
     * The checks every page gets: no console errors, no horizontal scrolling on a laptop and at 390 px,
     * and a full-page screenshot of both under target/screenshots (name-laptop.png, name-phone.png).
     */
    void checkPage(String name) {
        assertNoHorizontalScroll(name + " at " + LAPTOP.width + " px");
        screenshot(name + "-laptop", LAPTOP);
        driver.manage().window().setSize(PHONE);
        try {
            await(Duration.ofSeconds(30), name + " laid out at 390 px", d -> (Boolean) js("return window.innerWidth <= 400;"));
            settle();
            assertNoHorizontalScroll(name + " at 390 px");
            screenshot(name + "-phone", PHONE);
        } finally {
            driver.manage().window().setSize(LAPTOP);
        }
        assertThat(consoleErrors()).as("console errors on the %s page", name).isEmpty();
    }

    private void assertNoHorizontalScroll(String what) {
        Map<?, ?> sizes = (Map<?, ?>) js("return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
                + " wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)};");
        assertThat(((Number) sizes.get("scroll")).intValue())
                .as("%s: page wider than the window (%s)", what, sizes.get("wide"))
                .isLessThanOrEqualTo(((Number) sizes.get("inner")).intValue());
    }

    /** Lets resize observers and the charts follow the new width. */
    private void settle() {
        js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300))));");
    }

    /** A screenshot of the whole page at the given width (the window is stretched to the page's height). */
    Path screenshot(String name, Dimension size) {
        try {
            Files.createDirectories(SCREENSHOTS);
            long height = ((Number) js("return Math.ceil(document.documentElement.scrollHeight);")).longValue();
            driver.manage().window().setSize(new Dimension(size.width, (int) Math.min(Math.max(height, size.height), 8000)));
            js("window.scrollTo(0, 0);");
            settle();
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            driver.manage().window().setSize(size);
            settle();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * From the next page on, records each fetch() the page makes as [url, Authorization header] in
     * window.__fetches (a script run before the page's own). Returns the CDP answer with its identifier.
     */
    Map<String, Object> recordFetches() {
        return driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                (() => {
                  const original = window.fetch;
                  window.__fetches = [];
                  window.fetch = function (input, init) {
                    window.__fetches.push([String(input), new Headers((init && init.headers) || {}).get('Authorization')]);
                    return original.apply(this, arguments);
                  };
                })();"""));
    }

    void stopRecordingFetches(String identifier) {
        driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", identifier));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
