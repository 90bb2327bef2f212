package io.ticketing.core.redis;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.spi.StatisticsListener;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A listener that keeps the newest snapshot it got and notes whether versions ever failed to increase. */
final class Recorder implements StatisticsListener {
    private final AtomicReference<EventStatistics> latest = new AtomicReference<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean versionsIncreased = true;

    @Override
    public void onStatistics(EventStatistics statistics) {
        EventStatistics previous = latest.getAndSet(statistics);
        if (previous != null && statistics.version() <= previous.version()) {
            versionsIncreased = false;
        }
        calls.incrementAndGet();
    }

    EventStatistics latest() {
        return latest.get();
    }

    int calls() {
        return calls.get();
    }

    /** Whether every call carried a higher version than the one before, as {@link StatisticsListener} promises. */
    boolean versionsIncreased() {
        return versionsIncreased;
    }
}
