package io.ticketing.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Timestamps are formatted exactly as the ISO-8601 pattern with milliseconds would, cache or not. */
class TicketingJsonTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatMatchesTheIsoPatternWithMilliseconds() {
        assertEquals("2026-11-22T14:03:07.123Z", TicketingJson.format(Instant.parse("2026-11-22T14:03:07.123456Z")));
        assertEquals("2026-11-22T14:03:07.005Z", TicketingJson.format(Instant.parse("2026-11-22T14:03:07.005Z")));
        assertEquals("2026-11-22T14:03:07.050Z", TicketingJson.format(Instant.parse("2026-11-22T14:03:07.050Z")));
        assertEquals("1969-12-31T23:59:59.999Z", TicketingJson.format(Instant.ofEpochMilli(-1)));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            // seconds close together (so that cached seconds are reused) and far apart
            long second = i % 2 == 0 ? 1_800_000_000L + random.nextInt(100) : random.nextLong(-10_000_000_000L, 200_000_000_000L);
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
            assertEquals(REFERENCE.format(instant), TicketingJson.format(instant), instant.toString());
        }
    }
}
