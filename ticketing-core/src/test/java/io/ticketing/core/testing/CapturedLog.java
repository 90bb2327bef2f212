package io.ticketing.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps what a test logs out of the build output: slf4j-simple writes to {@code System.err}, which this
 * extension replaces during each test, so that the warnings and stack traces a fault-injection test provokes
 * on purpose are not printed. If the test fails, everything captured is printed after all, so no real
 * failure is hidden. A test may assert on {@link #text()}, say that the expected warning was logged.
 *
 * <pre>{@code @RegisterExtension final CapturedLog log = new CapturedLog();}</pre>
 *
 * <p>Catches output from every thread while the test runs; tests of one JVM must not run in parallel.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {
    private PrintStream original;
    private ByteArrayOutputStream captured;

    @Override
    public void beforeEach(ExtensionContext context) {
        original = System.err;
        captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.err.flush();
        System.setErr(original);
        if (context.getExecutionException().isPresent()) {
            original.print(text());
            original.flush();
        }
    }

    /** What was logged so far in this test. */
    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
