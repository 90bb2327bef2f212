package io.ticketing.core.internal;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers snapshots to this node's listeners, per event, off the publisher's thread. {@link #deliver}
 * is O(1): it parks the snapshot in the event's single pending slot (a newer one replaces an older one)
 * and schedules one drain task if none is scheduled. Each event's listeners are called by one drain at a
 * time, with strictly increasing versions. Used by every built-in broadcaster.
 *
 * <p>Drains of one event are at least {@code minInterval} apart: the first snapshot after a quiet spell
 * goes out at once, a burst is coalesced to its newest snapshot once per interval. This bounds thread
 * wake-ups (and the subscribers' serialisation work) per event, however fast changes arrive.
 */
public final class LocalFanout implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalFanout.class);

    private final ConcurrentHashMap<Long, Topic> topics = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor executor;
    private final long minIntervalNanos;

    public LocalFanout(int threads, Duration minInterval, String threadNamePrefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("fan-out threads must be >= 1, was " + threads);
        }
        if (minInterval.isNegative() || minInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("fan-out interval must be between 0 and 1 s, was " + minInterval);
        }
        this.minIntervalNanos = minInterval.toNanos();
        this.executor = new ScheduledThreadPoolExecutor(threads, new NamedThreadFactory(threadNamePrefix));
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /** Offers a snapshot to the event's listeners; drops it if no one listens or a newer one was seen. */
    public void deliver(EventStatistics statistics) {
        Topic topic = topics.get(statistics.eventId());
        if (topic != null) {
            topic.offer(statistics);
        }
    }

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
        final AtomicReference<EventStatistics> pending = new AtomicReference<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
        /** Only read and written by the (single) running drain. */
        long deliveredVersion;
        volatile long lastDrainNanos = System.nanoTime() - minIntervalNanos;

        void offer(EventStatistics statistics) {
            EventStatistics current;
            do {
                current = pending.get();
                if (current != null && current.version() >= statistics.version()) {
                    return;
                }
            } while (!pending.compareAndSet(current, statistics));
            schedule();
        }

        private void schedule() {
            // Reading first keeps the flag's cache line shared while a drain is already scheduled.
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                long wait = lastDrainNanos + minIntervalNanos - System.nanoTime();
                try {
                    if (wait <= 0) {
                        executor.execute(this::drain);
                    } else {
                        executor.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
                    }
                } catch (RejectedExecutionException e) {
                    scheduled.set(false); // closed: nothing more is delivered
                }
            }
        }

        private void drain() {
            lastDrainNanos = System.nanoTime();
            EventStatistics next = pending.getAndSet(null);
            if (next != null && next.version() > deliveredVersion) {
                deliveredVersion = next.version();
                for (Subscriber s : subscribers) {
                    if (!s.closed) {
                        try {
                            s.listener.onStatistics(next);
                        } catch (RuntimeException e) {
                            log.warn("Statistics listener for event {} failed; other listeners still get updates",
                                    next.eventId(), e);
                        }
                    }
                }
            }
            scheduled.set(false);
            if (pending.get() != null) {
                schedule();
            }
        }
    }
}
