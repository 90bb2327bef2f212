package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.SeatChange;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.function.LongFunction;

/**
 * How a stream starts, decided from its client's {@code Last-Event-ID} (api.md, "Resuming with
 * Last-Event-ID"): the current version → nothing re-sent; an older one whose changes are kept → the
 * current statistics and, for the subsections the stream names, the {@code seat_changes} of each missed
 * version in order (more than {@value #MAX_REPLAYED} missed: fresh {@code seat_map}s instead); an id this
 * server could not have sent, one of another epoch, from the future or past the retention → {@code event:
 * reset} and a fresh start. Immutable once decided; its frames are built for one stream only.
 */
final class StreamResume {
    /** Most missed changes replayed as {@code seat_changes}; a stream that missed more gets fresh maps. */
    static final int MAX_REPLAYED = 1000;

    /** No id, or one whose gap is not worth replaying: {@code initial_status} (and {@code seat_map}s). */
    static final StreamResume FRESH = new StreamResume(null, null, List.of(), -1);

    /** The version the client has everything up to, or null for a fresh start. */
    private final Long since;
    /** Why the client must start over, or null. */
    private final String resetReason;
    /** The missed versions that changed a named subsection, oldest first: their seat_changes data as JSON. */
    private final List<Missed> missed;
    /** The newest version {@code missed} accounts for. */
    private final long reached;

    private record Missed(long version, List<String> frames) {
    }

    private StreamResume(Long since, String resetReason, List<Missed> missed, long reached) {
        this.since = since;
        this.resetReason = resetReason;
        this.missed = missed;
        this.reached = reached;
    }

    /** Reads an event's changes after a version, at most a number of them. */
    @FunctionalInterface
    interface ChangeSource {
        ChangePage changes(long since, int limit);
    }

    /**
     * @param lastEventId the header, or null
     * @param start       the version of the release the stream starts from
     * @param current     the event's version in the store, read before {@code start} was released (a paced
     *                    dispatcher may not have released the newest yet, so it may be newer than {@code start})
     * @param seats       the subsections the stream names
     */
    static StreamResume decide(String lastEventId, long start, long current, List<SubsectionKey> seats,
                               StreamIds ids, ChangeSource changes, ObjectMapper mapper) {
        if (lastEventId == null) {
            return FRESH;
        }
        Long version = ids.version(lastEventId);
        if (version == null) {
            return reset("the last event id is not one this server's store could have sent");
        }
        return decide(version, start, current, seats, changes, mapper);
    }

    /**
     * As {@link #decide(String, long, long, List, StreamIds, ChangeSource, ObjectMapper)} for a client that
     * has the event up to {@code version} (a stream of several events names it in its cursor).
     */
    static StreamResume decide(long version, long start, long current, List<SubsectionKey> seats,
                               ChangeSource changes, ObjectMapper mapper) {
        if (version > Math.max(start, current)) {
            return reset("version " + version + " is newer than the event's current version "
                    + Math.max(start, current) + ": the store was reset or replaced");
        }
        if (version >= start) {
            return new StreamResume(version, null, List.of(), version); // it has the release, or a newer one
        }
        ChangePage page;
        try {
            page = changes.changes(version, seats.isEmpty() ? 1 : MAX_REPLAYED);
        } catch (TicketingException e) {
            if (e.code() == ErrorCode.HISTORY_EXPIRED) {
                return reset("the changes since version " + version + " are no longer kept");
            }
            throw e;
        }
        if (seats.isEmpty() || page.next() != null) {
            return FRESH; // the statistics say it all, or the gap is too long to replay
        }
        return replay(page.eventId(), version, page.items(), seats, mapper);
    }

    /** Whether the client must start over: it is sent {@link #preamble} with {@code event: reset}. */
    boolean isReset() {
        return resetReason != null;
    }

    /** A fresh start after {@code event: reset} for {@code reason}. */
    static StreamResume reset(String reason) {
        return new StreamResume(null, reason, List.of(), -1);
    }

    private static StreamResume replay(long eventId, long since, List<LoggedChange> changes, List<SubsectionKey> seats,
                                       ObjectMapper mapper) {
        List<Missed> missed = new ArrayList<>();
        long reached = since;
        for (LoggedChange change : changes) {
            Map<SubsectionKey, List<SeatChange>> bySubsection = new LinkedHashMap<>();
            for (SubsectionKey key : seats) {
                bySubsection.put(key, new ArrayList<>());
            }
            for (SeatChange s : change.seats()) {
                List<SeatChange> list = bySubsection.get(new SubsectionKey(s.section(), s.subsection()));
                if (list != null) {
                    list.add(s);
                }
            }
            List<String> frames = new ArrayList<>();
            for (Entry<SubsectionKey, List<SeatChange>> e : bySubsection.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    frames.add(EncodedSnapshot.json(mapper, new SeatMirror.SeatChanges(eventId, change.version(),
                            e.getValue())));
                }
            }
            if (!frames.isEmpty()) {
                missed.add(new Missed(change.version(), frames));
            }
            reached = change.version();
        }
        return new StreamResume(since, null, missed, reached);
    }

    /**
     * The version the client has already, if it has the stream's first release ({@code version}) or a newer
     * one: nothing up to it is re-sent; else null.
     */
    Long upToDate(long version) {
        return resetReason == null && since != null && since >= version ? since : null;
    }

    /** The stream's first bytes: {@code retryFrame}, then the {@code reset} event if the client must start over. */
    byte[] preamble(byte[] retryFrame, ObjectMapper mapper) {
        if (resetReason == null) {
            return retryFrame;
        }
        byte[] reset = SseFrameEncoder.event(null, "reset", EncodedSnapshot.json(mapper, Map.of("reason", resetReason)));
        byte[] both = new byte[retryFrame.length + reset.length];
        System.arraycopy(retryFrame, 0, both, 0, retryFrame.length);
        System.arraycopy(reset, 0, both, retryFrame.length, reset.length);
        return both;
    }

    /**
     * The frames that take the client from its version to {@code version}, the release the stream starts
     * with: the missed {@code seat_changes} in version order, {@code initial} (that release's statistics)
     * before those of {@code version} itself, only the last frame of each version with its {@code id:}, which
     * {@code idOf} names.
     * Null if this is no replay, or the changes read do not reach {@code version} (the stream then starts
     * afresh).
     */
    byte[] replayTo(long version, SharedFrame initial, LongFunction<String> idOf) {
        if (since == null || resetReason != null || reached < version) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean initialWritten = false;
        for (Missed m : missed) {
            if (m.version > version) {
                break;
            }
            if (m.version == version) {
                out.writeBytes(initial.bytes(false));
                initialWritten = true;
            }
            for (int i = 0; i < m.frames.size(); i++) {
                boolean last = i == m.frames.size() - 1;
                out.writeBytes(SseFrameEncoder.event(last ? idOf.apply(m.version) : null, SeatMirror.SEAT_CHANGES,
                        m.frames.get(i)));
            }
        }
        if (!initialWritten) {
            out.writeBytes(SharedFrame.idLine(idOf.apply(version)));
            out.writeBytes(initial.bytes(false));
        }
        return out.toByteArray();
    }
}
