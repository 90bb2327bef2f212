package io.ticketing.core.memory;

import io.ticketing.core.internal.LocalFanout;
import java.time.Duration;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;

/**
 * The default broadcaster for a single node: hands snapshots straight to this JVM's subscribers on a
 * small pool of fan-out threads. {@link #publish} costs O(1) whatever the number of subscribers.
 */
public final class InProcessBroadcaster implements StatisticsBroadcaster {
    /** Fan-out threads used by the no-argument constructor. */
    public static final int DEFAULT_THREADS = 2;
    /** Shortest time between two deliveries to one event's subscribers, by default. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(10);

    private final LocalFanout fanout;

    public InProcessBroadcaster() {
        this(DEFAULT_THREADS, DEFAULT_MIN_INTERVAL);
    }

    /**
     * @param threads     how many threads call listeners; one event's listeners are called by one at a time
     * @param minInterval shortest time between two deliveries to one event's listeners (0 to 1 s): a burst
     *                    of changes within it reaches them as its newest snapshot
     */
    public InProcessBroadcaster(int threads, Duration minInterval) {
        this.fanout = new LocalFanout(threads, minInterval, "ticketing-fanout");
    }

    @Override
    public void publish(EventStatistics statistics) {
        fanout.deliver(statistics);
    }

    @Override
    public Subscription subscribe(long eventId, StatisticsListener listener) {
        return fanout.subscribe(eventId, listener);
    }

    @Override
    public void close() {
        fanout.close();
    }
}
