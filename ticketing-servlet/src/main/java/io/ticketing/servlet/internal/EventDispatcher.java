package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.StatisticsService;
import io.ticketing.core.internal.LatestSlot;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's fan-out for one event: subscribed to the event's statistics while it has streams, it
 * serialises a snapshot once into the event's {@link LatestSlot} of encoded snapshots, which every stream
 * reads, and wakes its {@link FanoutStripe stripes}, whose writer threads have their streams catch up,
 * so that the writes of one update run in parallel.
 *
 * <p>Its {@link UpdatePacer} is the pipeline's only pacing: it decides when an update may go out. A change
 * that comes too soon waits in the slot of changes, where a newer one replaces it, until the pacer's
 * interval has passed since the last release; then the newest is released. So a hot event costs its
 * streams a bounded number of writes per second, whatever its rate of change, and every stream still
 * ends on the newest snapshot. {@link #onStatistics} never blocks and is called by one broadcaster thread
 * at a time. Once its last stream leaves, the dispatcher unsubscribes and is retired for good.
 *
 * <p>The path is one hand-off from the broadcaster's thread to the writer threads, and one slot per
 * stage: whatever else an update carries later (frames per subsection, say) rides in the value the slot
 * holds, and a stream that finds the slot more than one version past the one it wrote knows it skipped
 * changes and can be sent a whole state instead of the changes it missed.
 */
final class EventDispatcher implements StatisticsListener {
    private final long eventId;
    private final ObjectMapper mapper;
    private final FanoutStripe[] stripes;
    /** The newest encoded snapshot, which every stream of the event reads. */
    private final LatestSlot<EncodedSnapshot> latest = new LatestSlot<>(EncodedSnapshot::version);
    /** The newest change received, released to {@link #latest} when the pacer allows. */
    private final LatestSlot<EventStatistics> changes = new LatestSlot<>(EventStatistics::version);
    private final ScheduledExecutorService scheduler;
    private final Object pace = new Object();
    private final UpdatePacer pacer; // guarded by pace
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
            this.stripes[i] = new FanoutStripe(latest, writers);
        }
    }

    /** Adds a stream, subscribing on the first; false if this dispatcher is retired (use a new one). */
    synchronized boolean add(SseConnection connection, StatisticsService statistics) {
        if (retired) {
            return false;
        }
        connection.attach(latest);
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
        changes.offer(statistics);
        long now = System.nanoTime();
        synchronized (pace) {
            long wait = pacer.changed(now, statistics.version());
            if (releaseScheduled) {
                return; // the scheduled release takes the newest change
            }
            if (wait > 0) {
                scheduleRelease(wait);
                return;
            }
            pacer.released(now);
        }
        release();
    }

    private void scheduleRelease(long waitNanos) { // called holding pace
        releaseScheduled = true;
        try {
            scheduler.schedule(this::releaseHeld, waitNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            releaseScheduled = false; // the hub is closing every stream
        }
    }

    private void releaseHeld() {
        synchronized (pace) {
            releaseScheduled = false;
            pacer.released(System.nanoTime());
        }
        release();
    }

    /** Encodes the newest change into the streams' slot and has every stripe catch up. */
    private void release() {
        EventStatistics statistics = changes.get();
        EncodedSnapshot known = latest.get();
        if (known == null || known.version() < statistics.version()) {
            latest.offer(EncodedSnapshot.of(statistics, mapper));
        }
        for (FanoutStripe stripe : stripes) {
            stripe.wake();
        }
    }

    private FanoutStripe stripe(SseConnection connection) {
        return stripes[Math.floorMod(System.identityHashCode(connection), stripes.length)];
    }

    /**
     * Makes sure the streams' slot holds {@code current} (read from the store for a new stream) or a newer
     * snapshot, encoding it only if it does not, and returns what it holds.
     */
    EncodedSnapshot encodeCurrent(EventStatistics current) {
        EncodedSnapshot known = latest.newerThan(current.version() - 1);
        if (known != null) {
            return known;
        }
        latest.offer(EncodedSnapshot.of(current, mapper));
        return latest.get();
    }
}
