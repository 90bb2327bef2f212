package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpdatePacerTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS;

    /** The version of the last change made by {@link #change}. */
    private long version;

    /** One change: sends what the pacer lets out at once, like the dispatcher; returns the wait. */
    private long change(UpdatePacer pacer, long now) {
        long wait = pacer.changed(now, ++version);
        if (wait == 0) {
            pacer.released(now);
        }
        return wait;
    }

    @Test
    void changesAtAHumanPaceGoOutAtOnce() {
        UpdatePacer pacer = new UpdatePacer(Duration.ZERO, Duration.ofMillis(250), 50, T0);
        for (int i = 1; i <= 100; i++) {
            assertEquals(0, change(pacer, T0 + i * 50 * MS), "change " + i); // 20 a second
        }
        assertFalse(pacer.busy());
    }

    @Test
    void aRushIsPacedToTheBusyIntervalOnceTheRateIsReached() {
        UpdatePacer pacer = new UpdatePacer(Duration.ZERO, Duration.ofMillis(250), 50, T0);
        // 50 a second over 250 ms is 12.5 changes: the first 12 of a burst still go out at once
        for (int i = 1; i <= 12; i++) {
            assertEquals(0, change(pacer, T0 + i * MS), "change " + i);
        }
        long wait = change(pacer, T0 + 13 * MS);
        assertTrue(pacer.busy());
        assertEquals(250 * MS - MS, wait); // 250 ms after the 12th went out
        assertEquals(100 * MS, change(pacer, T0 + 162 * MS));
        pacer.released(T0 + 262 * MS); // the held newest goes out
        // the rush goes on at 1,000 a second: still busy in the next windows, one update per 250 ms
        for (long t = 263; t < 1_000; t++) {
            long w = pacer.changed(T0 + t * MS, ++version);
            if (w == 0) {
                assertEquals(0, (t - 262) % 250, "released at " + t);
                pacer.released(T0 + t * MS);
            }
        }
        assertTrue(pacer.busy());
    }

    @Test
    void changesCoalescedIntoOneSnapshotCountAsTheyHappened() {
        UpdatePacer pacer = new UpdatePacer(Duration.ZERO, Duration.ofMillis(250), 50, T0);
        assertEquals(0, change(pacer, T0 + MS));
        // then 1,000 changes a second that the broadcaster hands over as one snapshot per 10 ms
        assertEquals(0, pacer.changed(T0 + 10 * MS, 11));
        pacer.released(T0 + 10 * MS);
        assertFalse(pacer.busy());
        assertEquals(240 * MS, pacer.changed(T0 + 20 * MS, 21)); // 21 changes in 20 ms: busy
        assertTrue(pacer.busy());
    }

    @Test
    void anEventIsNoLongerBusyAfterAWindowBelowTheRate() {
        UpdatePacer pacer = new UpdatePacer(Duration.ZERO, Duration.ofMillis(250), 50, T0);
        for (int i = 1; i <= 20; i++) {
            change(pacer, T0 + i * MS);
        }
        assertTrue(pacer.busy());
        pacer.released(T0 + 260 * MS);
        // the next window (from 300 ms) sees 2 changes in 250 ms: 8 a second
        change(pacer, T0 + 300 * MS);
        change(pacer, T0 + 400 * MS);
        assertEquals(0, change(pacer, T0 + 560 * MS), "the window that ended at 560 ms was quiet");
        assertFalse(pacer.busy());
        // and after a long silence too, whatever the last window held
        assertEquals(0, change(pacer, T0 + 60_000 * MS));
        assertFalse(pacer.busy());
    }

    @Test
    void theMinimumIntervalAppliesToQuietEventsToo() {
        UpdatePacer pacer = new UpdatePacer(Duration.ofMillis(100), Duration.ofMillis(250), 50, T0);
        assertEquals(0, change(pacer, T0));
        assertEquals(70 * MS, change(pacer, T0 + 30 * MS));
        assertFalse(pacer.busy());
    }

    @Test
    void aZeroBusyIntervalNeverPaces() {
        UpdatePacer pacer = new UpdatePacer(Duration.ZERO, Duration.ZERO, 1, T0);
        for (int i = 1; i <= 1_000; i++) {
            assertEquals(0, change(pacer, T0 + i * 1_000L));
        }
        assertFalse(pacer.busy());
    }
}
