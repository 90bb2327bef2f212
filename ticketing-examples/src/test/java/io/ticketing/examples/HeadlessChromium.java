package io.ticketing.examples;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts Debian's Chromium through Debian's chromedriver, both named explicitly so that Selenium never
 * downloads a browser or a driver. Override the paths with {@code -Dchromium.binary=} and
 * {@code -Dchromedriver.binary=}. {@code quit()} also deletes the browser's temporary profile.
 */
final class HeadlessChromium {
    private HeadlessChromium() {
    }

    static ChromeDriver start(int width, int height) throws IOException {
        String binary = System.getProperty("chromium.binary", "/usr/bin/chromium");
        String driver = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions()
                .setBinary(binary)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--disable-background-timer-throttling",
                        "--disable-backgrounding-occluded-windows", "--disable-renderer-backgrounding",
                        "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options) {
            @Override
            public void quit() { // and its profile, which would otherwise pile up in the temporary directory
                try {
                    super.quit();
                } finally {
                    deleteRecursively(profile);
                }
            }
        };
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a profile left behind costs disk space only
        }
    }
}
