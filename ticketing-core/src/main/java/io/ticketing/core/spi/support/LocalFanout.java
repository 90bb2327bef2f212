package io.ticketing.core.spi.support;

import io.ticketing.core.internal.NamedThreadFactory;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 * threads. Each event's listeners are called by one thread at a time, with strictly increasing versions,
 * and get every snapshot delivered, each with its seat changes, in version order: a snapshot older than or
 * equal to one already handed to them is dropped. Nothing here waits on a clock: a snapshot is handed over
 * as soon as a thread is free, and the snapshots that arrived while the event's listeners were busy are
 * handed over together, in version order, with one wake-up; the pacing of updates to clients is the HTTP
 * layer's. If more than {@link #MAX_WAITING} snapshots of one event wait (its listeners are slower than its
 * changes), the older ones are dropped: the listeners see a gap in versions, as after a conflated burst,
 * and get the newest. A busy event does not hold up another: after each hand-over an event with more
 * waiting goes to the back of the threads' queue. A listener that throws is logged and the others still
 * get the snapshot. Memory per event: at most {@link #MAX_WAITING} snapshots. Thread-safe.
 */
public final class LocalFanout implements AutoCloseable {
    /** Snapshots of one event that may wait for its listeners; older ones are dropped beyond it. */
    public static final int MAX_WAITING = 4096;

    private static final Logger log = LoggerFactory.getLogger(LocalFanout.class);

    private final ConcurrentHashMap<Long, Topic> topics = new ConcurrentHashMap<>();
    private final ExecutorService executor;

    /**
     * A fan-out whose listeners run on {@code threads} daemon threads named {@code threadNamePrefix-N}.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public LocalFanout(int threads, String threadNamePrefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("fan-out threads must be >= 1, was " + threads);
        }
        this.executor = Executors.newFixedThreadPool(threads, new NamedThreadFactory(threadNamePrefix));
    }

    /**
     * Offers a snapshot to the event's listeners; dropped if no one listens, or later if a newer one has
     * been handed over by then.
     */
    public void deliver(EventStatistics statistics) {
        deliver(statistics, null);
    }

    /**
     * {@link #deliver(EventStatistics)} with the seats its change moved (null: unknown), handed to
     * {@link StatisticsListener#onUpdate}, or dropped with their snapshot.
     */
    public void deliver(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        Topic topic = topics.get(statistics.eventId());
        if (topic != null) { // nobody listens: nothing copied, nothing kept
            topic.offer(statistics, seatChanges == null ? null : SeatChange.copyOf(seatChanges));
        }
    }

    /**
     * Calls {@code listener} with every snapshot of the event delivered from now on,
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

    /** A snapshot waiting for its event's listeners, on top of those that arrived before it. */
    private record Waiting(EventStatistics statistics, @Nullable List<SeatChange> seatChanges,
                           @Nullable Waiting earlier, int depth) {
        long version() {
            return statistics.version();
        }
    }

    private final class Topic {
        final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        /** The snapshots not yet handed over, newest on top. */
        final AtomicReference<@Nullable Waiting> waiting = new AtomicReference<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
        /** The version the listeners last got; only read and written by the (single) running drain. */
        long deliveredVersion = Long.MIN_VALUE;

        void offer(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
            Waiting top;
            Waiting pushed;
            do {
                top = waiting.get();
                pushed = top == null || top.depth() >= MAX_WAITING ? new Waiting(statistics, seatChanges, null, 1)
                        : new Waiting(statistics, seatChanges, top, top.depth() + 1);
            } while (!waiting.compareAndSet(top, pushed));
            if (top == null) {
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
            Waiting taken = waiting.getAndSet(null);
            if (taken != null) {
                for (Waiting update : inVersionOrder(taken)) {
                    if (update.version() > deliveredVersion) {
                        deliveredVersion = update.version();
                        handOver(update);
                    }
                }
            }
            scheduled.set(false);
            if (waiting.get() != null) {
                schedule();
            }
        }

        private void handOver(Waiting update) {
            for (Subscriber s : subscribers) {
                if (!s.closed) {
                    try {
                        s.listener.onUpdate(update.statistics(), update.seatChanges());
                    } catch (RuntimeException e) {
                        log.warn("Statistics listener for event {} failed; other listeners still get updates",
                                update.statistics().eventId(), e);
                    }
                }
            }
        }
    }

    /**
     * The waiting snapshots oldest first by version: arrival order, sorted by insertion, which is linear in
     * the usual case where they arrived nearly in order.
     */
    private static Waiting[] inVersionOrder(Waiting top) {
        Waiting[] updates = new Waiting[top.depth()];
        for (Waiting w = top; w != null; w = w.earlier()) {
            updates[w.depth() - 1] = w;
        }
        for (int i = 1; i < updates.length; i++) {
            Waiting u = updates[i];
            int j = i - 1;
            while (j >= 0 && updates[j].version() > u.version()) {
                updates[j + 1] = updates[j];
                j--;
            }
            updates[j + 1] = u;
        }
        return updates;
    }
}
