package io.ticketing.core.redis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th consecutive delay is drawn uniformly from
 * {@code [d/2, d]} where {@code d = min(max, min * 2^(n-1))}, so reconnecting nodes spread out instead of
 * hitting a recovering server in lock-step. Not thread-safe: each retry loop owns one.
 */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private int attempts;

    Backoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The delay before the next attempt; each call counts one more consecutive failure. */
    Duration next() {
        long ceiling = minNanos;
        for (int i = 0; i < attempts && ceiling < maxNanos; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxNanos);
        attempts++;
        long half = ceiling / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** Forgets earlier failures: the next delay is short again. */
    void reset() {
        attempts = 0;
    }

    /** The longest delay this backoff ever returns. */
    Duration max() {
        return Duration.ofNanos(maxNanos);
    }
}
