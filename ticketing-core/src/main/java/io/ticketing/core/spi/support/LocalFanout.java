package io.ticketing.core.spi.support;

import io.ticketing.core.internal.LatestSlot;
import io.ticketing.core.internal.NamedThreadFactory;
import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local half of a {@link io.ticketing.core.spi.StatisticsBroadcaster}: what a broadcaster author needs
 * to hand snapshots to this node's listeners. A broadcaster implements
 * {@link io.ticketing.core.spi.StatisticsBroadcaster#subscribe} as {@link #subscribe} and calls
 * {@link #deliver} with every snapshot it receives, from its own node or from others; every built-in
 * broadcaster does.
 *
 * <p>Guarantees: {@link #deliver} is O(1) and never blocks on a listener: listeners run on this fan-out's own
 * threads. Each event's listeners are called by one thread at a time, with strictly increasing versions; a
 * snapshot older than or equal to one already delivered is dropped, and a burst that arrives while listeners
 * run reaches them as its newest snapshot (conflation). A listener that throws is logged and the others
 * still get the snapshot. It does not pace: listeners that must bound their work per second do it
 * themselves. Thread-safe.
 */
public final class LocalFanout implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalFanout.class);

    private final ConcurrentHashMap<Long, Topic> topics = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;

    /**
     * A fan-out whose listeners run on {@code threads} daemon threads named {@code threadNamePrefix-N}.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public LocalFanout(int threads, String threadNamePrefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("fan-out threads must be >= 1, was " + threads);
        }
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new NamedThreadFactory(threadNamePrefix));
    }

    /** Offers a snapshot to the event's listeners; drops it if no one listens or a newer one was seen. */
    public void deliver(EventStatistics statistics) {
        deliver(statistics, null);
    }

    /**
     * {@link #deliver(EventStatistics)} with the seats its change moved (null: unknown), handed to
     * {@link StatisticsListener#onUpdate}; conflated away with their snapshot.
     */
    public void deliver(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        deliver(new SnapshotUpdate(statistics, seatChanges));
    }

    private void deliver(SnapshotUpdate update) {
        Topic topic = topics.get(update.eventId());
        if (topic != null) {
            topic.offer(update);
        }
    }

    /**
     * Calls {@code listener} with every snapshot of the event delivered from now on (conflated as above),
     * until the subscription is closed; a listener closed while a snapshot is delivered may still get it.
     */
    public Subscription subscribe(long eventId, StatisticsListener listener) {
        Subscriber subscriber = new Subscriber(eventId, listener);
        topics.compute(eventId, (id, topic) -> {
            Topic t = topic != null ? topic : new Topic();
            t.subscribers.add(subscriber);
            return t;
        });
        return subscriber;
    }

    /** Events that have at least one listener on this node. */
    public Set<Long> subscribedEvents() {
        return Set.copyOf(topics.keySet());
    }

    /** Stops the drain threads; undelivered snapshots are dropped. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        topics.clear();
    }

    private final class Subscriber implements Subscription {
        final long eventId;
        final StatisticsListener listener;
        volatile boolean closed;

        Subscriber(long eventId, StatisticsListener listener) {
            this.eventId = eventId;
            this.listener = listener;
        }

        @Override
        public void close() {
            closed = true;
            topics.computeIfPresent(eventId, (id, topic) -> {
                topic.subscribers.remove(this);
                return topic.subscribers.isEmpty() ? null : topic;
            });
        }
    }

    private final class Topic {
        final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        final LatestSlot<SnapshotUpdate> latest = new LatestSlot<>(SnapshotUpdate::version);
        final AtomicBoolean scheduled = new AtomicBoolean();
        /** The version the listeners last got; only read and written by the (single) running drain. */
        long deliveredVersion = Long.MIN_VALUE;

        void offer(SnapshotUpdate update) {
            if (latest.offer(update)) {
                schedule();
            }
        }

        private void schedule() {
            // Reading first keeps the flag's cache line shared while a drain is already scheduled.
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    scheduled.set(false); // closed: nothing more is delivered
                }
            }
        }

        private void drain() {
            SnapshotUpdate next = latest.newerThan(deliveredVersion);
            if (next != null) {
                deliveredVersion = next.version();
                for (Subscriber s : subscribers) {
                    if (!s.closed) {
                        try {
                            s.listener.onUpdate(next.statistics(), next.seatChanges());
                        } catch (RuntimeException e) {
                            log.warn("Statistics listener for event {} failed; other listeners still get updates",
                                    next.statistics().eventId(), e);
                        }
                    }
                }
            }
            scheduled.set(false);
            if (latest.newerThan(deliveredVersion) != null) {
                schedule();
            }
        }
    }
}
