package io.ticketing.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * The way tests wait, never a fixed sleep: Awaitility polling the condition every millisecond on the test's
 * own thread until it holds, failing with {@code what} after the timeout (15 s unless given).
 */
public final class Await {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private Await() {
    }

    public static void until(BooleanSupplier condition, String what) {
        until(condition, DEFAULT_TIMEOUT, what);
    }

    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        Awaitility.await(what)
                .atMost(timeout)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(condition::getAsBoolean);
    }
}
