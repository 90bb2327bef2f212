package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheMaximumAndStayWithinHalfToFullOfTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000));
        long[] ceilings = {100, 200, 400, 800, 1_000, 1_000, 1_000};
        for (long ceiling : ceilings) {
            long delay = backoff.next().toMillis();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " not in [" + ceiling / 2 + ", " + ceiling + "]");
        }
    }

    @Test
    void resetStartsOverFromTheMinimum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
        for (int i = 0; i < 20; i++) {
            backoff.next();
        }
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 100);
    }

    @Test
    void jitterSpreadsDelays() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
        long distinct = java.util.stream.Stream.generate(backoff::next).limit(50).distinct().count();
        assertTrue(distinct > 10, "only " + distinct + " distinct delays");
    }

    @Test
    void manyFailuresNeverOverflowPastTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMinutes(5));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 1_000; i++) {
            last = backoff.next();
        }
        assertTrue(last.compareTo(Duration.ofMinutes(5)) <= 0 && last.compareTo(Duration.ofSeconds(150)) >= 0, last.toString());
        assertEquals(Duration.ofMinutes(5), backoff.max());
    }
}
