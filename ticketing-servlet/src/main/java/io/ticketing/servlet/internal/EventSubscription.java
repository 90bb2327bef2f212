package io.ticketing.servlet.internal;

import io.ticketing.core.internal.LatestSlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One event of an SSE stream: what its stream has written of that event, and which of the event's releases
 * it took. Its {@link FanoutStripe} tells it when the event's {@link LatestSlot} holds a newer release; its
 * {@link SseConnection} then takes the release and writes the frames it chose, which are the frames every
 * stream of the event shares.
 *
 * <p>It holds no snapshot of its own: it reads the slot with the release it last took, so it takes the newest
 * release whenever its stream can write, never one older than it already took, and a slow client costs no
 * memory beyond the stream itself.
 *
 * <p>Naming subsections ({@code seats}), it chooses, after a snapshot's status frame, one seat frame per named
 * subsection that the release has frames for: its {@code seat_changes} if it showed that subsection at the
 * version those changes start from, else its {@code seat_map}. So a stream that skipped releases gets whole
 * maps, never a state older than one it showed. Before its first frames it waits for a release that has every
 * subsection it names, so that its {@code seat_map}s follow its {@code initial_status} at the same version.
 *
 * <p>Threads: {@link #updated} runs on one stripe pass at a time; {@link #take} and the state it touches only
 * on the stream's draining thread; {@link #start} before the stream writes anything.
 */
final class EventSubscription {
    /** {@link #shown} of a subscription that names no subsection (most do not): shared, it is never written. */
    private static final long[] NO_SEATS = new long[0];

    private final SseConnection connection;
    private final long eventId;
    /** The subsections it names, in the order named. */
    private final List<SubsectionKey> seats;
    /** Its position among its stream's events. */
    private final int index;
    /** The sequence of the last release taken; written only by the draining thread. */
    private volatile long takenSequence = Long.MIN_VALUE;
    /** The sequence of the last {@link #updated} call; touched only by the stripe's pass. */
    private long notifiedSequence = Long.MIN_VALUE;
    /** Its event's newest release; set before the subscription is shared with other threads. */
    private LatestSlot<EncodedUpdate> updates;

    // Touched only by the draining thread.
    private boolean initialSent;
    /** The version of the last snapshot taken. */
    private long sentVersion = Long.MIN_VALUE;
    /** Per named subsection, the version it was last shown at (MIN_VALUE: never). */
    private final long[] shown;
    /** How it starts (see {@link StreamResume}); dropped once it has. */
    private StreamResume resume = StreamResume.FRESH;

    EventSubscription(SseConnection connection, int index, long eventId, List<SubsectionKey> seats) {
        this.connection = connection;
        this.index = index;
        this.eventId = eventId;
        this.seats = List.copyOf(seats);
        this.shown = seats.isEmpty() ? NO_SEATS : new long[seats.size()];
        Arrays.fill(shown, Long.MIN_VALUE);
    }

    long eventId() {
        return eventId;
    }

    /** Its position among its stream's events (the order of {@code ?events=}). */
    int index() {
        return index;
    }

    /** The subsections whose seats it streams (empty: statistics only). */
    List<SubsectionKey> seats() {
        return seats;
    }

    SseConnection connection() {
        return connection;
    }

    /** Reads its releases from {@code updates}; called once, by its dispatcher, before anything else. */
    void attach(LatestSlot<EncodedUpdate> updates) {
        this.updates = updates;
    }

    /**
     * Sets how it starts; call once, after it is attached and {@code current} was offered to its slot, before
     * its stream starts writing: nothing up to the version the client has, if that is {@code current}'s or
     * newer; else what {@code resume} replays, or {@code initial_status} of the newest snapshot.
     *
     * @return the version the client already has, or null if it has to be sent one
     */
    Long start(EncodedUpdate current, StreamResume resume) {
        this.resume = resume;
        Long has = resume.upToDate(current.version());
        if (has != null) {
            initialSent = true;
            sentVersion = has;
            Arrays.fill(shown, has);
        }
        return has;
    }

    /**
     * Its event's slot now holds release {@code sequence}: has the stream write it if the client can take it.
     * If the previous release notified is still untaken it is conflated, counted once. Never blocks.
     */
    void updated(long sequence) {
        if (notifiedSequence > takenSequence) {
            connection.conflated();
        }
        notifiedSequence = sequence;
        connection.drain();
    }

    /** Whether its slot holds a release it has not taken. */
    boolean hasNewer() {
        return updates.newerThan(takenSequence) != null;
    }

    /**
     * Takes the newest release, if newer than the last taken, and queues on its stream what it writes of it:
     * the frames chosen, in order ({@link SseConnection#queue}), or the bytes of a resume that replays
     * ({@link SseConnection#queueReplayed}); false if that is nothing. Before its first frames it waits for a
     * release with all its subsections.
     */
    boolean take() {
        EncodedUpdate update = updates.newerThan(takenSequence);
        if (update == null || !initialSent && !update.covers(seats)) {
            return false;
        }
        takenSequence = update.sequence();
        long version = update.version();
        if (!initialSent) {
            byte[] replayed = resume.replayTo(version, update.statistics().initialFrame(),
                    replayedVersion -> connection.idOf(index, replayedVersion));
            resume = StreamResume.FRESH;
            if (replayed != null) {
                initialSent = true;
                sentVersion = version;
                Arrays.fill(shown, version);
                connection.queueReplayed(this, version, replayed);
                return true;
            }
        }
        List<SharedFrame> frames = new ArrayList<>(1 + seats.size());
        boolean initial = !initialSent;
        if (initial) {
            frames.add(update.statistics().initialFrame());
            initialSent = true;
        } else if (version > sentVersion) {
            frames.add(update.statistics().updateFrame());
        }
        sentVersion = Math.max(sentVersion, version);
        for (int i = 0; i < shown.length; i++) {
            EncodedUpdate.SeatFrames f = update.seats().get(seats.get(i));
            if (f == null || shown[i] >= version) {
                continue;
            }
            if (f.fromVersion() != Long.MIN_VALUE && shown[i] == f.fromVersion()) {
                if (f.changes() != null) {
                    frames.add(f.changes());
                }
            } else {
                frames.add(f.map());
            }
            shown[i] = version;
        }
        if (frames.isEmpty()) {
            return false;
        }
        connection.queue(this, update, frames, initial);
        return true;
    }
}
