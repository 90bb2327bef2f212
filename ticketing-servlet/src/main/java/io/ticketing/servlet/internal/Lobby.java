package io.ticketing.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.EventService;
import io.ticketing.core.Ticketing;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPage;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.spi.AllEventsListener;
import io.ticketing.core.spi.Subscription;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of every public event (active and available: what {@code GET /events} lists without
 * parameters), shared by every {@code GET /stream?all=true} of the node.
 *
 * <p>Opened by the first lobby stream (it then reads the public events once, a page at a time) and kept until
 * the hub shuts down, it follows every event's snapshots and listing changes through the broadcaster
 * ({@link AllEventsListener}). A snapshot of a member moves its totals on; one of another event that says
 * {@code available}, a listing change and a gap in delivery are checked against the store, on the hub's
 * scheduler, never on the broadcaster's thread. At most once per interval ({@link #INTERVAL}) it releases a
 * {@link Batch}: per event that changed since the last one, its newest state only, as frames encoded once for
 * the node ({@code initial_status} for an event that joined, {@code status_update} for one that changed, the
 * last {@code status_update} if any and {@code removed} for one that left), joined into one byte array that
 * every stream up to date writes as it is. A stream further behind catches up from the last
 * {@value #KEPT_BATCHES} batches with one frame per event (newest wins), from the same shared frames; one
 * even further behind is closed, and its client reconnects to the full set. A new stream starts from the
 * members' shared {@code initial_status} frames, without reading the store. Thread-safe.
 */
final class Lobby implements AllEventsListener {
    private static final Logger log = LoggerFactory.getLogger(Lobby.class);
    /** The shortest time between two releases: each changing event's state goes out at least this often. */
    static final Duration INTERVAL = Duration.ofMillis(500);
    /** How many releases a stream may fall behind and still catch up (a minute's worth). */
    static final int KEPT_BATCHES = 120;
    /** At most this many bytes of batches are kept, however many releases that is. */
    private static final long MAX_KEPT_BYTES = 8L << 20;
    private static final int PAGE = EventService.MAX_PAGE_SIZE;

    /** How an event's membership moved in a batch. */
    enum Kind { JOINED, UPDATED, REMOVED }

    /** One event's part of a batch: how it moved, and the frames that say so. */
    record Change(Kind kind, byte[] frames) {
    }

    /** One release: the frames of every event that changed since the previous one, joined once, in order. */
    record Batch(long sequence, byte[] frames, Map<Long, Change> changes) {
    }

    /** What a stream writes to reach release {@code sequence}. */
    record CatchUp(long sequence, List<byte[]> frames) {
    }

    /** An event in the set, at the version last released, with its two frames. */
    private record Member(long version, byte[] initialFrame, byte[] updateFrame) {
    }

    private final Ticketing ticketing;
    private final ObjectMapper mapper;
    private final StreamHub hub;
    private final long intervalNanos;
    private final int keptBatches;
    private final List<Set<LobbyStream>> stripes = new ArrayList<>();
    private final Object starting = new Object();
    private volatile Batch latest = new Batch(0, new byte[0], Map.of());
    private volatile boolean started;

    // guarded by this
    private final Map<Long, Member> members = new HashMap<>();
    private final ArrayDeque<Batch> kept = new ArrayDeque<>();
    /** The bytes of the batches kept (their changes' frames, which they hold too, are as many again). */
    private long keptBytes;
    private Map<Long, EventStatistics> pending = new HashMap<>();
    private Set<Long> toRead = new HashSet<>();
    private boolean reloadWanted;
    private boolean loaded;
    private boolean releaseScheduled;
    private long lastReleaseNanos;
    private boolean closed;
    // guarded by starting
    private Subscription subscription;

    /** A lobby that releases at most once per {@code interval} and keeps {@code keptBatches} releases. */
    Lobby(Ticketing ticketing, ObjectMapper mapper, StreamHub hub, Duration interval, int keptBatches) {
        this.ticketing = ticketing;
        this.mapper = mapper;
        this.hub = hub;
        this.intervalNanos = interval.toNanos();
        this.keptBatches = keptBatches;
        this.lastReleaseNanos = System.nanoTime() - intervalNanos;
        for (int i = 0; i < hub.writerThreads(); i++) {
            stripes.add(ConcurrentHashMap.newKeySet());
        }
        hub.onShutdown(this::close);
    }

    /**
     * Adds a stream and returns what it starts with: every member's {@code initial_status} and the release
     * they stand at. Starts the lobby if it is the first.
     *
     * @throws UnsupportedOperationException if the broadcaster does not carry all events' updates
     */
    CatchUp attach(LobbyStream stream) {
        open();
        synchronized (this) {
            stripe(stream).add(stream);
            List<byte[]> frames = new ArrayList<>(members.size());
            members.values().forEach(m -> frames.add(m.initialFrame()));
            return new CatchUp(latest.sequence(), frames);
        }
    }

    void detach(LobbyStream stream) {
        stripe(stream).remove(stream);
    }

    /** The newest release. */
    Batch latest() {
        return latest;
    }

    /**
     * What a stream that wrote release {@code sequence} writes to reach the newest: per event changed since,
     * one frame of its newest state (or its {@code removed}); null if it fell further behind than the
     * releases kept.
     */
    synchronized CatchUp since(long sequence) {
        Batch oldest = kept.peekFirst();
        if (oldest == null || oldest.sequence() > sequence + 1) {
            return null;
        }
        Map<Long, Kind> first = new LinkedHashMap<>();
        Map<Long, Change> last = new HashMap<>();
        for (Batch batch : kept) {
            if (batch.sequence() > sequence) {
                batch.changes().forEach((id, change) -> {
                    first.putIfAbsent(id, change.kind());
                    last.put(id, change);
                });
            }
        }
        List<byte[]> frames = new ArrayList<>(first.size());
        first.forEach((id, kind) -> {
            boolean shown = kind != Kind.JOINED;
            Member member = members.get(id);
            if (member != null) {
                frames.add(shown ? member.updateFrame() : member.initialFrame());
            } else if (shown) {
                frames.add(last.get(id).frames()); // it left: its last change is its removal
            }
        });
        return new CatchUp(latest.sequence(), frames);
    }

    @Override
    public void onStatistics(EventStatistics statistics) {
        long id = statistics.eventId();
        synchronized (this) {
            if (closed) {
                return;
            }
            Member member = members.get(id);
            if (loaded && member != null) {
                if (statistics.version() <= member.version()) {
                    return;
                }
                pending.merge(id, statistics, (a, b) -> a.version() >= b.version() ? a : b);
            } else if (!loaded || statistics.status() == EventStatus.AVAILABLE) {
                toRead.add(id); // it may join (or, while the set is read, have changed): the store says
            } else {
                return;
            }
            scheduleRelease();
        }
    }

    @Override
    public synchronized void onListingChanged(long eventId) {
        if (!closed) {
            toRead.add(eventId);
            scheduleRelease();
        }
    }

    @Override
    public synchronized void onGap() {
        if (!closed) {
            reloadWanted = true;
            scheduleRelease();
        }
    }

    /**
     * Starts following every event, reading the public ones, unless it already does. Returns once the set is
     * read; a failed read throws, and the next call tries again.
     *
     * @throws UnsupportedOperationException if the broadcaster does not carry all events' updates
     */
    void open() {
        if (started) {
            return;
        }
        synchronized (starting) {
            if (subscription != null) {
                return;
            }
            subscription = ticketing.statistics().subscribeAll(this); // first: nothing is missed while reading
            Map<Long, EventStatistics> all;
            try {
                all = readAll();
            } catch (RuntimeException e) {
                subscription.close();
                subscription = null;
                throw e;
            }
            synchronized (this) {
                all.forEach((id, statistics) -> {
                    Member member = members.get(id);
                    if (member == null || statistics.version() > member.version()) {
                        members.put(id, member(statistics));
                    }
                });
                loaded = true;
            }
            started = true;
            log.info("Lobby started with {} public events", all.size());
        }
    }

    private void close() {
        synchronized (starting) {
            if (subscription != null) {
                subscription.close();
            }
        }
        synchronized (this) {
            closed = true;
        }
    }

    private void scheduleRelease() { // holding this
        if (releaseScheduled) {
            return;
        }
        releaseScheduled = true;
        hub.schedule(this::release, Duration.ofNanos(lastReleaseNanos + intervalNanos - System.nanoTime()));
    }

    /** Reads what must be read, then applies everything received since the last release as one batch. */
    private void release() {
        Map<Long, EventStatistics> snapshots;
        Set<Long> reads;
        boolean reload;
        synchronized (this) {
            snapshots = pending;
            reads = toRead;
            reload = reloadWanted;
            pending = new HashMap<>();
            toRead = new HashSet<>();
            reloadWanted = false;
        }
        Map<Long, EventStatistics> all = reload ? readAllOrNull() : null;
        Map<Long, Optional<EventStatistics>> read = new HashMap<>();
        Set<Long> failed = new HashSet<>();
        for (long id : reads) {
            try {
                read.put(id, readOne(id));
            } catch (RuntimeException e) {
                log.warn("Could not read event {} for the lobby; trying again in {} ms", id, intervalNanos / 1_000_000, e);
                failed.add(id);
            }
        }
        synchronized (this) {
            Map<Long, Change> changes = new LinkedHashMap<>();
            snapshots.values().forEach(s -> applySnapshot(s, changes));
            read.forEach((id, state) -> applyRead(id, state.orElse(null), changes));
            if (all != null) {
                applyAll(all, changes);
            } else if (reload) {
                reloadWanted = true;
            }
            toRead.addAll(failed);
            if (!changes.isEmpty()) {
                publish(changes);
            }
            releaseScheduled = false;
            lastReleaseNanos = System.nanoTime();
            if (!closed && (!pending.isEmpty() || !toRead.isEmpty() || reloadWanted)) {
                scheduleRelease();
            }
        }
    }

    private void applySnapshot(EventStatistics snapshot, Map<Long, Change> changes) { // holding this
        long id = snapshot.eventId();
        Member member = members.get(id);
        if (member == null) {
            if (snapshot.status() == EventStatus.AVAILABLE) {
                toRead.add(id); // it left since, and may be back: the store says at the next release
            }
        } else if (snapshot.version() > member.version()) {
            Member now = member(snapshot);
            if (snapshot.status() == EventStatus.AVAILABLE) {
                members.put(id, now);
                changes.put(id, new Change(Kind.UPDATED, now.updateFrame()));
            } else {
                leave(id, now.updateFrame(), changes);
            }
        }
    }

    /** Applies the store's word on one event: its totals if it is public now, else null. Holding this. */
    private void applyRead(long id, EventStatistics state, Map<Long, Change> changes) {
        Member member = members.get(id);
        if (state == null) {
            if (member != null) {
                leave(id, null, changes);
            }
        } else if (member == null) {
            Member joined = member(state);
            members.put(id, joined);
            // an event that left and is back in one batch: the streams that showed it keep it, with new totals
            Change left = changes.get(id);
            changes.put(id, left != null ? new Change(Kind.UPDATED, joined.updateFrame())
                    : new Change(Kind.JOINED, joined.initialFrame()));
        } else if (state.version() > member.version()) {
            Member now = member(state);
            members.put(id, now);
            Change earlier = changes.get(id);
            changes.put(id, earlier != null && earlier.kind() == Kind.JOINED
                    ? new Change(Kind.JOINED, now.initialFrame()) : new Change(Kind.UPDATED, now.updateFrame()));
        }
    }

    private void applyAll(Map<Long, EventStatistics> all, Map<Long, Change> changes) { // holding this
        for (Long id : List.copyOf(members.keySet())) {
            if (!all.containsKey(id)) {
                leave(id, null, changes);
            }
        }
        all.forEach((id, statistics) -> applyRead(id, statistics, changes));
    }

    private void leave(long id, byte[] lastUpdate, Map<Long, Change> changes) { // holding this
        members.remove(id);
        Change before = changes.remove(id);
        if (before != null && before.kind() == Kind.JOINED) {
            return; // joined and left within one batch: the streams never showed it
        }
        byte[] last = lastUpdate != null ? lastUpdate : before != null ? before.frames() : null;
        byte[] removed = frame("removed", Map.of("eventId", id));
        changes.put(id, new Change(Kind.REMOVED, last == null ? removed : join(List.of(last, removed))));
    }

    private void publish(Map<Long, Change> changes) { // holding this
        List<byte[]> frames = new ArrayList<>(changes.size());
        changes.values().forEach(c -> frames.add(c.frames()));
        Batch batch = new Batch(latest.sequence() + 1, join(frames), Map.copyOf(changes));
        kept.addLast(batch);
        keptBytes += batch.frames().length;
        while (kept.size() > keptBatches || keptBytes > MAX_KEPT_BYTES && kept.size() > 1) {
            keptBytes -= kept.removeFirst().frames().length;
        }
        latest = batch;
        for (Set<LobbyStream> stripe : stripes) {
            if (!stripe.isEmpty()) {
                hub.writers().execute(() -> stripe.forEach(LobbyStream::wake));
            }
        }
    }

    /** The public events and their totals, read a page at a time. */
    private Map<Long, EventStatistics> readAll() {
        Map<Long, EventStatistics> all = new LinkedHashMap<>();
        String cursor = null;
        do {
            EventPage page = ticketing.events().list(null, null, PAGE, cursor);
            all.putAll(ticketing.statistics().summaries(page.items()));
            cursor = page.nextCursor();
        } while (cursor != null);
        all.values().removeIf(s -> s.status() != EventStatus.AVAILABLE); // sold out since it was listed
        return all;
    }

    private Map<Long, EventStatistics> readAllOrNull() {
        try {
            return readAll();
        } catch (RuntimeException e) {
            log.warn("Could not read the public events for the lobby; trying again in {} ms", intervalNanos / 1_000_000, e);
            return null;
        }
    }

    /** The event's totals if it is public now, else empty. */
    private Optional<EventStatistics> readOne(long id) {
        Event event;
        EventStatistics statistics;
        try {
            event = ticketing.events().get(id, null);
            statistics = ticketing.statistics().current(id, null);
        } catch (TicketingException notFound) {
            return Optional.empty(); // a draft, or deleted
        }
        return event.active() && statistics.status() == EventStatus.AVAILABLE
                ? Optional.of(statistics) : Optional.empty();
    }

    private Member member(EventStatistics statistics) {
        String json = json(statistics.summary());
        return new Member(statistics.version(), SseFrameEncoder.event(null, "initial_status", json),
                SseFrameEncoder.event(null, "status_update", json));
    }

    private byte[] frame(String type, Object body) {
        return SseFrameEncoder.event(null, type, json(body));
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a lobby frame", e);
        }
    }

    private static byte[] join(List<byte[]> frames) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        frames.forEach(joined::writeBytes);
        return joined.toByteArray();
    }

    private Set<LobbyStream> stripe(LobbyStream stream) {
        return stripes.get(Math.floorMod(System.identityHashCode(stream), stripes.size()));
    }
}
