package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.StatisticsService;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's fan-out for one event: subscribed to the event's statistics while it has streams, it
 * serialises a snapshot once and hands the same bytes to each of its {@link FanoutStripe stripes}, which
 * offer them to their streams on the writer threads, so that the writes of one update run in parallel.
 *
 * <p>Its {@link UpdatePacer} decides when an update may go out: a change that comes too soon is held, and
 * replaced by any newer one, until the pacer's interval has passed since the last release; then the
 * newest is released. So a hot event costs its streams a bounded number of writes per second, whatever
 * its rate of change, and every stream still ends on the newest snapshot. {@link #onStatistics} never blocks and
 * is called by one broadcaster thread at a time. Once its last stream leaves, the dispatcher unsubscribes
 * and is retired for good.
 */
final class EventDispatcher implements StatisticsListener {
    private final long eventId;
    private final ObjectMapper mapper;
    private final FanoutStripe[] stripes;
    private final AtomicReference<EncodedSnapshot> latest = new AtomicReference<>();
    private final ScheduledExecutorService scheduler;
    private final Object pace = new Object();
    private final UpdatePacer pacer; // guarded by pace
    private EventStatistics held; // guarded by pace
    private boolean releaseScheduled; // guarded by pace
    private Subscription subscription; // guarded by this
    private boolean retired; // guarded by this

    EventDispatcher(long eventId, ObjectMapper mapper, Executor writers, int stripes, UpdatePacer pacer,
                    ScheduledExecutorService scheduler) {
        this.eventId = eventId;
        this.mapper = mapper;
        this.pacer = pacer;
        this.scheduler = scheduler;
        this.stripes = new FanoutStripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new FanoutStripe(writers);
        }
    }

    /** Adds a stream, subscribing on the first; false if this dispatcher is retired (use a new one). */
    synchronized boolean add(SseConnection connection, StatisticsService statistics) {
        if (retired) {
            return false;
        }
        stripe(connection).add(connection);
        if (subscription == null) {
            subscription = statistics.subscribe(eventId, this);
        }
        return true;
    }

    /** Removes a stream; returns true if that retired this dispatcher (it had no other stream). */
    synchronized boolean remove(SseConnection connection) {
        if (!stripe(connection).remove(connection) || size() > 0 || retired) {
            return false;
        }
        retire();
        return true;
    }

    /** Unsubscribes and refuses new streams. */
    synchronized void retire() {
        retired = true;
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    int size() {
        int size = 0;
        for (FanoutStripe stripe : stripes) {
            size += stripe.size();
        }
        return size;
    }

    @Override
    public void onStatistics(EventStatistics statistics) {
        long now = System.nanoTime();
        synchronized (pace) {
            long wait = pacer.changed(now, statistics.version());
            if (releaseScheduled || wait > 0) {
                hold(statistics, wait);
                return;
            }
            pacer.released(now);
        }
        release(statistics);
    }

    private void hold(EventStatistics statistics, long waitNanos) { // called holding pace
        if (held == null || statistics.version() > held.version()) {
            held = statistics;
        }
        if (!releaseScheduled) {
            releaseScheduled = true;
            try {
                scheduler.schedule(this::releaseHeld, waitNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                releaseScheduled = false; // the hub is closing every stream
            }
        }
    }

    private void releaseHeld() {
        EventStatistics statistics;
        synchronized (pace) {
            statistics = held;
            held = null;
            releaseScheduled = false;
            pacer.released(System.nanoTime());
        }
        if (statistics != null) {
            release(statistics);
        }
    }

    private void release(EventStatistics statistics) {
        EncodedSnapshot snapshot = encode(statistics);
        for (FanoutStripe stripe : stripes) {
            stripe.publish(snapshot);
        }
    }

    private FanoutStripe stripe(SseConnection connection) {
        return stripes[Math.floorMod(System.identityHashCode(connection), stripes.length)];
    }

    /**
     * The encoded form of a snapshot read from the store for a new stream: the shared one if this
     * dispatcher already has that version or a newer one, else a fresh encoding that later streams share.
     */
    EncodedSnapshot encodeCurrent(EventStatistics current) {
        EncodedSnapshot known = latest.get();
        return known != null && known.version() >= current.version() ? known : encode(current);
    }

    /** Serialises a snapshot, or reuses the cached encoding of the same version (equal versions are equal). */
    private EncodedSnapshot encode(EventStatistics statistics) {
        EncodedSnapshot known = latest.get();
        if (known != null && known.version() == statistics.version()) {
            return known;
        }
        EncodedSnapshot fresh = EncodedSnapshot.of(statistics, mapper);
        latest.accumulateAndGet(fresh, EncodedSnapshot::newer);
        return fresh;
    }
}
