package io.ticketing.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The example app on a free loopback port, a {@link TestApi} of it and a headless Chromium, started before a
 * browser test class (registered as a static {@code @RegisterExtension} field) and stopped after it: the browser
 * first, then the app. Scripts the browser runs asynchronously may take {@link #PATIENCE}.
 */
final class PageUnderTest implements BeforeAllCallback, AfterAllCallback {
    /** Page loads, first connections and the browser's own start-up on a busy machine. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final int width;
    private final int height;
    private ExampleServer app;
    private TestApi api;
    private ChromeDriver browser;

    /** A browser whose windows open {@code width} × {@code height} pixels large. */
    PageUnderTest(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** Starts the example app on 127.0.0.1 and a free port, with {@code flags} added to its command line. */
    static ExampleServer startApp(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(flags));
        return ExampleServer.start(ExampleConfig.parse(args, Map.of()));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        app = startApp();
        api = new TestApi(app.uri());
        browser = HeadlessChromium.start(width, height);
        browser.manage().timeouts().scriptTimeout(PATIENCE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** The app the browser tests share (default settings, in-memory store, demo mode). */
    ExampleServer app() {
        return app;
    }

    /** A JSON client of {@link #app()}. */
    TestApi api() {
        return api;
    }

    ChromeDriver browser() {
        return browser;
    }

    /**
     * A wait of at most {@code timeout} that polls every 50 ms and retries a condition that found no element
     * (as every {@link WebDriverWait} does) or a stale one (the page re-renders while it is read).
     */
    WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }
}
