package io.ticketing.core.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, polling every millisecond: the way tests wait, never a fixed sleep. */
public final class Await {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private Await() {
    }

    public static void until(BooleanSupplier condition, String what) {
        until(condition, DEFAULT_TIMEOUT, what);
    }

    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
