package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.StatisticsService;
import io.ticketing.core.internal.LatestSlot;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.servlet.internal.EncodedUpdate.SeatFrames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Seat maps ({@code ?seats=}) ride the same path: for each subsection its streams name, the dispatcher
 * keeps one {@link SeatMirror}, moved forward by the seat changes that come with each snapshot and re-read
 * from the store once (for all streams) when it sees a gap. Each release carries, next to the snapshot, the
 * {@code seat_changes} since the previous release (merged per seat while the pacer held them) and a
 * {@code seat_map} of every subsection at the snapshot's version; a stream that wrote the previous release
 * sends the changes, one that skipped releases (or is new) sends the map. Mirrors are guarded by the pacing
 * lock; a re-read happens under it, on the broadcaster's or the scheduler's thread, once per gap and
 * subsection.
 */
final class EventDispatcher implements StatisticsListener {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final long eventId;
    private final ObjectMapper mapper;
    private final StreamIds ids;
    private final StatisticsService statistics;
    private final FanoutStripe[] stripes;
    /** The newest release, which every stream of the event reads. */
    private final LatestSlot<EncodedUpdate> latest = new LatestSlot<>(EncodedUpdate::sequence);
    private final ScheduledExecutorService scheduler;
    private final Object pace = new Object();
    private final UpdatePacer pacer; // guarded by pace
    private boolean releaseScheduled; // guarded by pace
    /** The newest snapshot received; released when the pacer allows. Guarded by pace. */
    private EventStatistics newest;
    /** One mirror per subsection that a stream names. Guarded by pace. */
    private final Map<SubsectionKey, SeatMirror> mirrors = new HashMap<>();
    private EncodedUpdate released; // guarded by pace
    private Subscription subscription; // guarded by this
    private boolean retired; // guarded by this

    EventDispatcher(long eventId, ObjectMapper mapper, StreamIds ids, StatisticsService statistics, Executor writers,
                    int stripes, UpdatePacer pacer, ScheduledExecutorService scheduler) {
        this.eventId = eventId;
        this.mapper = mapper;
        this.ids = ids;
        this.statistics = statistics;
        this.pacer = pacer;
        this.scheduler = scheduler;
        this.stripes = new FanoutStripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new FanoutStripe(latest, writers);
        }
    }

    /**
     * Adds a stream, subscribing on the first, and mirrors the subsections it names (reading from the store
     * those no other stream names); false if this dispatcher is retired (use a new one).
     */
    synchronized boolean add(SseConnection connection) {
        if (retired) {
            return false;
        }
        connection.attach(latest);
        stripe(connection).add(connection);
        if (subscription == null) {
            subscription = statistics.subscribe(eventId, this);
        }
        // after subscribing: a change after the store read arrives as an update, one before is in the read
        synchronized (pace) {
            boolean added = false;
            for (SubsectionKey key : connection.seats()) {
                SeatMirror mirror = mirrors.computeIfAbsent(key, k -> new SeatMirror(eventId, k));
                added |= mirror.streams++ == 0;
            }
            if (added && newest != null) {
                release(false); // again, with the new subsections, for the new stream to start with
            }
        }
        return true;
    }

    /** Removes a stream; returns true if that retired this dispatcher (it had no other stream). */
    synchronized boolean remove(SseConnection connection) {
        if (!stripe(connection).remove(connection)) {
            return false;
        }
        synchronized (pace) {
            for (SubsectionKey key : connection.seats()) {
                SeatMirror mirror = mirrors.get(key);
                if (mirror != null && --mirror.streams == 0) {
                    mirrors.remove(key);
                }
            }
        }
        if (size() > 0 || retired) {
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
    public void onStatistics(EventStatistics snapshot) {
        onUpdate(snapshot, null);
    }

    @Override
    public void onUpdate(EventStatistics snapshot, List<SeatChange> seatChanges) {
        long now = System.nanoTime();
        synchronized (pace) {
            if (!receive(snapshot, seatChanges)) {
                return;
            }
            long wait = pacer.changed(now, snapshot.version());
            if (releaseScheduled) {
                return; // the scheduled release takes the newest change
            }
            if (wait > 0) {
                scheduleRelease(wait);
                return;
            }
            pacer.released(now);
            release(true);
        }
    }

    /** Takes a snapshot newer than any before, moving the mirrors on; false if it is not newer. Holding pace. */
    private boolean receive(EventStatistics snapshot, List<SeatChange> seatChanges) {
        if (newest != null && snapshot.version() <= newest.version()) {
            return false;
        }
        newest = snapshot;
        for (SeatMirror mirror : mirrors.values()) {
            mirror.advance(snapshot.version(), seatChanges);
        }
        return true;
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
            release(true);
        }
    }

    /**
     * Encodes the newest snapshot (once per version) and the frames of every mirror at its version into the
     * streams' slot, re-reading stale mirrors first, and has every stripe catch up ({@code wake}; a new
     * stream's release needs not: the stream writes it when it starts, and the others with the next change).
     * Holding pace.
     */
    private void release(boolean wake) {
        Map<SubsectionKey, SeatFrames> seats = new HashMap<>();
        for (Map.Entry<SubsectionKey, SeatMirror> e : mirrors.entrySet()) {
            SeatMirror mirror = e.getValue();
            if (mirror.stale()) {
                reload(e.getKey(), mirror);
            }
            // a mirror read past the snapshot joins the release of its own version, which is on its way
            if (!mirror.stale() && mirror.version() == newest.version()) {
                seats.put(e.getKey(), mirror.release(mapper, ids));
            }
        }
        EncodedSnapshot snapshot = released != null && released.version() == newest.version()
                ? released.statistics() : EncodedSnapshot.of(newest, mapper, ids);
        released = new EncodedUpdate(released == null ? 1 : released.sequence() + 1, snapshot, seats);
        latest.offer(released);
        if (wake) {
            for (FanoutStripe stripe : stripes) {
                stripe.wake();
            }
        }
    }

    private void reload(SubsectionKey key, SeatMirror mirror) {
        try {
            mirror.load(statistics.seatMap(eventId, key.section(), key.subsection()));
        } catch (RuntimeException e) {
            log.warn("Could not read the seat map of event {} subsection {}:{}; retrying on the next change",
                    eventId, key.section(), key.subsection(), e);
        }
    }

    private FanoutStripe stripe(SseConnection connection) {
        return stripes[Math.floorMod(System.identityHashCode(connection), stripes.length)];
    }

    /**
     * Makes sure the streams' slot holds {@code current} (read from the store for a new stream) or a newer
     * snapshot, releasing it at once if it is newer than any received, and returns the newest release.
     */
    EncodedUpdate encodeCurrent(EventStatistics current) {
        synchronized (pace) {
            if (receive(current, null)) {
                release(false);
            }
            return latest.get();
        }
    }
}
