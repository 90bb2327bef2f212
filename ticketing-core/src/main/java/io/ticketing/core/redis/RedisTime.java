package io.ticketing.core.redis;

import java.time.Instant;

/**
 * Instants as the Redis store keeps them: epoch nanoseconds as 20 digits (so that Lua compares them as
 * strings, exactly), and epoch microseconds as the scores of sorted sets (exact in a double until 2255).
 */
final class RedisTime {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RedisTime() {
    }

    static String nanos(Instant t) {
        String digits = Long.toString(Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano()));
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }

    static Instant instant(String nanos) {
        long n = Long.parseLong(nanos);
        return Instant.ofEpochSecond(Math.floorDiv(n, NANOS_PER_SECOND), Math.floorMod(n, NANOS_PER_SECOND));
    }

    static String micros(Instant t) {
        return Long.toString(t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    }
}
