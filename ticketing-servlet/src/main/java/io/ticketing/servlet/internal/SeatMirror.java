package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatMap;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.servlet.internal.EncodedUpdate.SeatFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's copy of one subsection's seat states, kept while a local stream names it: loaded from the
 * store (a {@link SeatMap} at a known version), then moved forward by the seat changes that come with each
 * snapshot, one version after the other. A version it cannot account for (a gap: a snapshot conflated
 * away or lost, handed over after a newer one, or one that came without its seat changes) makes it
 * {@link #stale()}, still holding the seats of the last version it accounted for: its dispatcher then
 * {@linkplain #catchUp catches it up} from the event's change log, or re-reads it, once for all the streams
 * that name it.
 *
 * <p>Between two releases the changes are merged per seat; past {@code max(8, seats / 64)} of them a release
 * sends only the whole map, which is then smaller than the changes. Not thread-safe: its dispatcher guards
 * it.
 */
final class SeatMirror {
    private static final String SEAT_MAP = "seat_map";
    static final String SEAT_CHANGES = "seat_changes";
    /** Changes per release always worth sending as changes, however small the subsection. */
    private static final int MIN_CHANGES_BOUND = 8;

    private final long eventId;
    private final SubsectionKey key;
    /** Streams that name it; changed only inside its dispatcher's atomic map updates. */
    int streams;
    private int rows;
    private int cols;
    private char[] seats;
    private long version = Long.MIN_VALUE;
    private boolean stale = true;
    /** Seat index → new status, changed since the last release. */
    private final Map<Integer, SeatStatus> pending = new TreeMap<>();
    /** Too many changes since the last release: it sends only the map. */
    private boolean overflow;
    /** The version of the last release, or MIN_VALUE if none since it was loaded. */
    private long releasedVersion = Long.MIN_VALUE;
    private SeatFrames released;
    /** The seats as of the last release, shared by maps until a seat changes. */
    private String releasedSeats;

    SeatMirror(long eventId, SubsectionKey key) {
        this.eventId = eventId;
        this.key = key;
    }

    /** Whether it must be re-read before its next release. */
    boolean stale() {
        return stale;
    }

    /** The version its states are at. */
    long version() {
        return version;
    }

    /** Takes the store's map as the current state; changes up to its version are already in it. */
    void load(SeatMap map) {
        rows = map.rows();
        cols = map.cols();
        seats = map.seats().toCharArray();
        version = map.version();
        stale = false;
        pending.clear();
        overflow = false;
        releasedVersion = Long.MIN_VALUE;
        released = null;
        releasedSeats = null;
    }

    /**
     * Moves to {@code newVersion} with the seat changes of that version (null: unknown). A version it is
     * already at or past changes nothing; one that does not follow its own, or unknown changes, make it stale.
     */
    void advance(long newVersion, List<SeatChange> changes) {
        if (stale || newVersion <= version) {
            return;
        }
        if (newVersion != version + 1 || changes == null) {
            stale = true;
            return;
        }
        apply(newVersion, changes);
    }

    /** Whether it has been loaded: its seats are then the store's at {@link #version}, even while it is stale. */
    boolean loaded() {
        return seats != null;
    }

    /**
     * Catches a stale, {@linkplain #loaded loaded} mirror up to {@code upTo} with {@code changes}, entries of
     * the event's change log in version order from after its version: fresh at {@code upTo} if they hold
     * every version up to it (later ones are left for {@link #advance}); otherwise it stays stale, for a
     * re-read. Returns whether it is fresh.
     */
    boolean catchUp(List<LoggedChange> changes, long upTo) {
        if (!stale || !loaded()) {
            return !stale;
        }
        for (LoggedChange change : changes) {
            if (change.version() > upTo) {
                break;
            }
            if (change.version() <= version) {
                continue;
            }
            if (change.version() != version + 1) {
                return false;
            }
            apply(change.version(), change.seats());
        }
        stale = version != upTo;
        return !stale;
    }

    /** Applies the seat changes of {@code newVersion}, the version after its own, and moves to it. */
    private void apply(long newVersion, List<SeatChange> changes) {
        for (SeatChange c : changes) {
            if (c.subsection() == key.subsection() && c.section().equals(key.section())) {
                int index = (c.row() - 1) * cols + c.seat() - 1;
                seats[index] = SeatMap.code(c.status());
                if (!overflow) {
                    pending.put(index, c.status());
                    overflow = pending.size() > Math.max(MIN_CHANGES_BOUND, seats.length / 64);
                    if (overflow) {
                        pending.clear();
                    }
                }
            }
        }
        version = newVersion;
    }

    /**
     * Its frames at its current version, built once per version (a second release of that version returns
     * the same); the map's data is serialised only if a stream needs it.
     */
    SeatFrames release(ObjectMapper mapper, StreamIds ids) {
        if (releasedVersion == version) {
            return released;
        }
        long at = version;
        SharedFrame changes = null;
        long from = overflow ? Long.MIN_VALUE : releasedVersion;
        if (from != Long.MIN_VALUE && !pending.isEmpty()) {
            SeatChanges data = new SeatChanges(eventId, at, changeList());
            changes = new SharedFrame(ids.of(at), SEAT_CHANGES, () -> EncodedSnapshot.json(mapper, data));
        }
        if (releasedSeats == null || overflow || !pending.isEmpty()) {
            releasedSeats = new String(seats);
        }
        SeatMap map = new SeatMap(eventId, at, key.section(), key.subsection(), rows, cols, releasedSeats);
        released = new SeatFrames(from, changes, new SharedFrame(ids.of(at), SEAT_MAP, () -> EncodedSnapshot.json(mapper, map)));
        releasedVersion = at;
        pending.clear();
        overflow = false;
        return released;
    }

    private List<SeatChange> changeList() {
        List<SeatChange> list = new ArrayList<>(pending.size());
        pending.forEach((index, status) -> list.add(new SeatChange(key.section(), key.subsection(), index / cols + 1,
                index % cols + 1, status)));
        return list;
    }

    /** The data of a {@code seat_changes} frame. */
    record SeatChanges(long eventId, long version, List<SeatChange> changes) {
    }
}
