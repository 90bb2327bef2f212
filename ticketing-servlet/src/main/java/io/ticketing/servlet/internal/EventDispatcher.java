package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.StatisticsService;
import io.ticketing.core.internal.LatestSlot;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.servlet.internal.EncodedUpdate.SeatFrames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * keeps one {@link SeatMirror}, moved forward by the seat changes that come with each snapshot. A mirror
 * that a gap left stale (a snapshot lost, or handed over after a newer one) is caught up to the newest
 * snapshot from the event's change log ({@link StatisticsService#changes}, one store call whose cost is the
 * changes missed, not the seats): at the next release, or at once when it falls half of {@value
 * #MAX_LOG_CATCH_UP} versions behind, so that one read serves the gaps of a release. Whatever is still stale
 * at a release (a longer gap, a log that no longer reaches back, a failed read, a subsection newly named) it
 * re-reads, every mirror together with the statistics in one store call ({@link StatisticsService#seatMaps}),
 * once for all streams, and takes that read as its newest snapshot: the store is never behind what was
 * delivered, so either read covers the newest snapshot and the maps go out with it at once, however fast the
 * event changes. A seat-map read that fails is tried again every second. Each release carries, next to the
 * snapshot, the {@code seat_changes} since the previous release (merged per seat while the pacer held them)
 * and a {@code seat_map} of every subsection at the snapshot's version; a stream that wrote the previous
 * release sends the changes, one that skipped releases (or is new) sends the map. Mirrors are guarded by the
 * pacing lock; a re-read or a catch-up happens under it (so no snapshot overtakes it), on the broadcaster's,
 * the scheduler's or a new stream's thread.
 *
 * <p>New streams cost few reads: a stream that joins while every mirror holds the newest snapshot, itself no
 * older than the store's version when the stream joined (a quiet event), starts from the mirrors with no read;
 * otherwise it starts from a read that began after it joined, and one read serves every stream that joined
 * before it began, so a connect storm during a rush costs a few reads, not one per stream.
 */
final class EventDispatcher implements StatisticsListener {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
    /** How soon a failed seat-map read is tried again. */
    private static final Duration READ_RETRY = Duration.ofSeconds(1);
    /** The longest gap, in versions, that stale mirrors catch up from the change log rather than by a re-read. */
    static final int MAX_LOG_CATCH_UP = 256;

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
    /** When {@link #newest} was received ({@link System#nanoTime()}). Guarded by pace. */
    private long newestReceivedNanos;
    /**
     * One mirror per subsection that a stream names. Streams come and go without pace (so that they need not
     * wait for a read in flight); a mirror's seat states are guarded by pace.
     */
    private final Map<SubsectionKey, SeatMirror> mirrors = new ConcurrentHashMap<>();
    private EncodedUpdate released; // guarded by pace
    /** Streams that joined and asked for a starting state: each takes the next number. */
    private final AtomicLong arrivals = new AtomicLong();
    /** The number of the last stream that joined before the last successful read began. Guarded by pace. */
    private long readCovers;
    private boolean retryScheduled; // guarded by pace
    /** A catch-up from the change log failed since the last release, which then re-reads. Guarded by pace. */
    private boolean catchUpFailed;
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
     * Adds a stream's subscription to the event, subscribing on the first, and mirrors the subsections it names (a new mirror is read
     * from the store by {@link #encodeCurrent}); false if this dispatcher is retired (use a new one).
     */
    synchronized boolean add(EventSubscription connection) {
        if (retired) {
            return false;
        }
        connection.attach(latest);
        stripe(connection).add(connection);
        if (subscription == null) {
            subscription = statistics.subscribe(eventId, this);
        }
        // after subscribing: a change after the store read arrives as an update, one before is in the read
        for (SubsectionKey key : connection.seats()) {
            mirrors.compute(key, (k, mirror) -> {
                SeatMirror m = mirror == null ? new SeatMirror(eventId, k) : mirror;
                m.streams++;
                return m;
            });
        }
        return true;
    }

    /** Removes a stream's subscription; returns true if that retired this dispatcher (it had no other stream). */
    synchronized boolean remove(EventSubscription connection) {
        if (!stripe(connection).remove(connection)) {
            return false;
        }
        for (SubsectionKey key : connection.seats()) {
            mirrors.computeIfPresent(key, (k, mirror) -> --mirror.streams == 0 ? null : mirror);
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
            if (!receive(snapshot, seatChanges, now)) {
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

    /**
     * Takes a snapshot newer than any before, moving the mirrors on; false if it is not newer. A stale mirror
     * waits for the next release to catch up, unless it falls half as far behind as a catch-up goes: then it
     * catches up at once (once per release: if that fails, the release re-reads). Holding pace.
     */
    private boolean receive(EventStatistics snapshot, List<SeatChange> seatChanges, long receivedNanos) {
        if (newest != null && snapshot.version() <= newest.version()) {
            return false;
        }
        newest = snapshot;
        newestReceivedNanos = receivedNanos;
        long behind = 0;
        for (SeatMirror mirror : mirrors.values()) {
            mirror.advance(snapshot.version(), seatChanges);
            if (mirror.stale() && mirror.loaded()) {
                behind = Math.max(behind, snapshot.version() - mirror.version());
            }
        }
        if (behind >= MAX_LOG_CATCH_UP / 2 && !catchUpFailed) {
            catchUpFailed = !catchUpFromLog();
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
     * streams' slot, catching up or re-reading stale mirrors first (a re-read may move the newest snapshot on),
     * and has every stripe catch up ({@code wake}; a new stream's release needs not: the stream writes it when
     * it starts, and the others with the next change). Holding pace.
     */
    private void release(boolean wake) {
        if (anyStale() && (catchUpFailed || !catchUpFromLog())) {
            readSeatMaps();
        }
        catchUpFailed = false;
        publish(wake);
    }

    /**
     * Catches every stale mirror up to the newest snapshot from the change log, in one store call; false if a
     * mirror is still stale (one never loaded, a gap longer than {@link #MAX_LOG_CATCH_UP}, a log that no
     * longer reaches back, a failed read), which the caller then re-reads. Holding pace.
     */
    private boolean catchUpFromLog() {
        if (newest == null) {
            return false;
        }
        long upTo = newest.version();
        long from = upTo;
        for (SeatMirror mirror : mirrors.values()) {
            if (mirror.stale()) {
                if (!mirror.loaded()) {
                    return false;
                }
                from = Math.min(from, mirror.version());
            }
        }
        if (from >= upTo || upTo - from > MAX_LOG_CATCH_UP) {
            return false;
        }
        ChangePage page;
        try {
            page = statistics.changes(eventId, from, (int) (upTo - from));
        } catch (RuntimeException e) {
            log.debug("Could not read the changes of event {} after version {}; reading its seat maps", eventId, from,
                    e);
            return false;
        }
        boolean fresh = true;
        for (SeatMirror mirror : mirrors.values()) {
            fresh &= mirror.catchUp(page.items(), upTo);
        }
        return fresh;
    }

    /** {@link #release} without re-reading. Holding pace. */
    private void publish(boolean wake) {
        Map<SubsectionKey, SeatFrames> seats = new HashMap<>();
        for (Map.Entry<SubsectionKey, SeatMirror> e : mirrors.entrySet()) {
            SeatMirror mirror = e.getValue();
            if (!mirror.stale() && mirror.version() == newest.version()) {
                seats.put(e.getKey(), mirror.release(mapper, ids));
            }
        }
        EncodedSnapshot snapshot = released != null && released.version() == newest.version()
                ? released.statistics() : EncodedSnapshot.of(newest, mapper, ids);
        released = new EncodedUpdate(released == null ? 1 : released.sequence() + 1, newestReceivedNanos, snapshot,
                seats);
        latest.offer(released);
        if (wake) {
            for (FanoutStripe stripe : stripes) {
                stripe.wake();
            }
        }
    }

    /**
     * Whether every mirror is fresh at the newest snapshot received, and that is at least {@code version}:
     * then the mirrors are the store's seats at a version no older than {@code version}. Holding pace.
     */
    private boolean mirrorsHold(long version) {
        if (newest == null || newest.version() < version) {
            return false;
        }
        for (SeatMirror mirror : mirrors.values()) {
            if (mirror.stale() || mirror.version() != newest.version()) {
                return false;
            }
        }
        return true;
    }

    private boolean anyStale() { // holding pace
        for (SeatMirror mirror : mirrors.values()) {
            if (mirror.stale()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads every mirror and the statistics at one version and takes them as the newest state (the read is
     * never older than a snapshot received: the store is ahead of its broadcasts); false if the read failed,
     * which is tried again in a second. Holding pace.
     */
    private boolean readSeatMaps() {
        long covers = arrivals.get();
        List<SubsectionKey> keys = List.copyOf(mirrors.keySet());
        SeatMaps read;
        try {
            read = statistics.seatMaps(eventId, keys.stream().map(SubsectionKey::ref).toList());
        } catch (RuntimeException e) {
            log.warn("Could not read the seat maps of event {}; trying again in {} ms", eventId,
                    READ_RETRY.toMillis(), e);
            scheduleRetry();
            return false;
        }
        readCovers = covers;
        if (newest == null || read.version() > newest.version()) {
            newest = read.statistics();
            newestReceivedNanos = System.nanoTime();
        }
        for (int i = 0; i < keys.size(); i++) {
            SeatMirror mirror = mirrors.get(keys.get(i));
            if (mirror != null) { // null: its last stream left during the read
                mirror.load(read.maps().get(i));
            }
        }
        return true;
    }

    private void scheduleRetry() { // holding pace
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        try {
            scheduler.schedule(this::retryRead, READ_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            retryScheduled = false; // the hub is closing every stream
        }
    }

    private void retryRead() {
        synchronized (pace) {
            retryScheduled = false;
            if (newest != null && anyStale()) {
                release(true);
            }
        }
    }

    private FanoutStripe stripe(EventSubscription connection) {
        return stripes[Math.floorMod(System.identityHashCode(connection), stripes.length)];
    }

    /**
     * Returns the release a new stream (already {@linkplain #add added}) starts from: one at least as new as
     * {@code current} (read from the store after the stream was added), released at once if it is newer than
     * any received. While streams name subsections, the maps come from the mirrors when every one of them
     * holds the newest snapshot received and that is at least as new as {@code current} (a quiet event: a
     * stream that joins it costs no read); otherwise the state is that of a seat-map read that began after
     * the stream was added, shared with every stream added before that read began; if the read fails,
     * {@code current} without the maps, which follow when a retry reads them.
     */
    EncodedUpdate encodeCurrent(EventStatistics current) {
        long arrival = arrivals.incrementAndGet();
        synchronized (pace) {
            if (mirrors.isEmpty()) {
                if (receive(current, null, System.nanoTime())) {
                    release(false);
                }
            } else if (mirrorsHold(current.version())) {
                // a release at the newest version has every mirror's frames: a mirror is fresh only after a read,
                // and each read is followed by a release
                if (released == null || released.version() != newest.version()) {
                    publish(false);
                }
            } else if (readCovers < arrival) {
                long before = newest == null ? Long.MIN_VALUE : newest.version();
                if (!readSeatMaps()) {
                    receive(current, null, System.nanoTime());
                }
                publish(newest.version() > before); // a read past the newest snapshot is news for every stream
            }
            return latest.get();
        }
    }
}
