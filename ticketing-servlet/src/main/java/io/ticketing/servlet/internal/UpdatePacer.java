package io.ticketing.servlet.internal;

import java.time.Duration;

/**
 * Decides when one event's next {@code status_update} may go out. A change goes out at once unless the
 * last update went out less than the interval in force ago; then it waits for the rest of it. The interval
 * is {@code minInterval}, raised to {@code busyInterval} while the event is <em>busy</em>: changing at
 * {@code busyChangesPerSecond} or more, measured over windows of {@code busyInterval} by the versions
 * it reaches (so changes that the broadcaster coalesced into one snapshot count too). So an event that
 * changes at a human pace streams every change as it happens, and one in a rush costs each of its streams
 * at most one write per {@code busyInterval}, leaving the CPU to the buyers. An event stops being busy
 * after a whole window below the rate.
 *
 * <p>Not thread-safe: its {@link EventDispatcher} guards it. Times are {@link System#nanoTime()} values.
 */
final class UpdatePacer {
    private static final long SECOND = 1_000_000_000L;

    private final long minIntervalNanos;
    private final long busyIntervalNanos;
    private final long busyChangesPerSecond;
    private long windowStart;
    private long changesInWindow;
    private boolean busy;
    private long lastReleaseNanos;
    private long lastVersion;

    /**
     * @param busyInterval          0 to never treat the event as busy
     * @param busyChangesPerSecond  at least 1
     */
    UpdatePacer(Duration minInterval, Duration busyInterval, int busyChangesPerSecond, long now) {
        this.minIntervalNanos = minInterval.toNanos();
        this.busyIntervalNanos = busyInterval.toNanos();
        this.busyChangesPerSecond = busyChangesPerSecond;
        this.windowStart = now;
        this.lastReleaseNanos = now - Math.max(minIntervalNanos, busyIntervalNanos);
    }

    /**
     * Records that a snapshot of {@code version} arrived at {@code now}; it carries every change since the
     * newest version seen before (a broadcaster may have coalesced several). Returns how many nanoseconds
     * its update must wait (0: send it now).
     */
    long changed(long now, long version) {
        long changes = lastVersion == 0 ? 1 : Math.max(1, version - lastVersion);
        lastVersion = Math.max(lastVersion, version);
        if (busyIntervalNanos > 0) {
            long elapsed = now - windowStart;
            if (elapsed >= busyIntervalNanos) {
                // after a quiet spell of a whole window or more the event is not busy, whatever came before
                busy = elapsed < 2 * busyIntervalNanos && changesInWindow * SECOND >= busyChangesPerSecond * elapsed;
                windowStart = now;
                changesInWindow = 0;
            }
            changesInWindow += changes;
            if (!busy && changesInWindow * SECOND >= busyChangesPerSecond * busyIntervalNanos) {
                busy = true; // the rate is reached before the window ends
            }
        }
        long interval = busy ? Math.max(busyIntervalNanos, minIntervalNanos) : minIntervalNanos;
        return Math.max(0, lastReleaseNanos + interval - now);
    }

    /** Records that an update went out at {@code now}. */
    void released(long now) {
        lastReleaseNanos = now;
    }

    boolean busy() {
        return busy;
    }
}
