package io.ticketing.core.memory;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One event's change log in memory: the last {@code capacity} changes, which have consecutive versions. Its
 * arrays start small and double up to {@code capacity}, so a quiet event costs little. A change is kept in
 * columns: what happened, its seats' grid indexes (one seat's in an {@code int}, several as the array the
 * reservation already keeps, 4 bytes a seat) and their new status, so appending one allocates nothing; the
 * indexes become coordinates only when read. Guarded by the event's lock.
 */
final class ChangeRing {
    private static final int INITIAL_SLOTS = 16;
    private static final SeatStatus[] STATUSES = SeatStatus.values();

    private final int capacity;
    private LastEvent[] lastEvents;
    /** The seats a change moved, or null if it moved one seat: then {@link #oneSeat} holds it. */
    private int[][] seats;
    private int[] oneSeat;
    /** The seats' new status (ordinal). */
    private byte[] statuses;
    /** The oldest version kept, and the newest (0: none yet). */
    private long first = 1;
    private long last;
    /** The slot of {@link #last}. */
    private int lastSlot = -1;

    ChangeRing(int capacity) {
        this.capacity = capacity;
        allocate(Math.min(INITIAL_SLOTS, capacity));
    }

    private void allocate(int slots) {
        lastEvents = new LastEvent[slots];
        seats = new int[slots][];
        oneSeat = new int[slots];
        statuses = new byte[slots];
    }

    /**
     * Appends the change of {@code version}, the next one, which moved {@code movedSeats} (kept: they must not
     * change afterwards) to {@code status}, forgetting the oldest change if the ring is full.
     */
    void append(long version, LastEvent lastEvent, int[] movedSeats, SeatStatus status) {
        int slot = next(version);
        lastEvents[slot] = lastEvent;
        seats[slot] = movedSeats;
        statuses[slot] = (byte) status.ordinal();
    }

    /** {@link #append} of a change that moved one seat: nothing allocated, no array kept. */
    void appendOne(long version, LastEvent lastEvent, int seat, SeatStatus status) {
        int slot = next(version);
        lastEvents[slot] = lastEvent;
        seats[slot] = null;
        oneSeat[slot] = seat;
        statuses[slot] = (byte) status.ordinal();
    }

    /** Makes room for {@code version} and returns its slot. */
    private int next(long version) {
        if (version != last + 1 && last != 0) {
            throw new IllegalStateException("change " + version + " does not follow " + last);
        }
        if (last == 0) {
            first = version;
        }
        if (version - first + 1 > lastEvents.length) {
            if (lastEvents.length < capacity) {
                grow();
            } else {
                first++;
            }
        }
        last = version;
        lastSlot = lastSlot + 1 == lastEvents.length ? 0 : lastSlot + 1;
        return lastSlot;
    }

    /** Doubles the arrays (up to {@code capacity}), the kept changes moved to slots 0.. in version order. */
    private void grow() {
        LastEvent[] oldEvents = lastEvents;
        int[][] oldSeats = seats;
        int[] oldOneSeat = oneSeat;
        byte[] oldStatuses = statuses;
        allocate(Math.min(capacity, oldEvents.length * 2));
        int n = (int) (last - first + 1);
        for (int k = 0; k < n; k++) {
            int from = slot(first + k, oldEvents.length);
            lastEvents[k] = oldEvents[from];
            seats[k] = oldSeats[from];
            oneSeat[k] = oldOneSeat[from];
            statuses[k] = oldStatuses[from];
        }
        lastSlot = n - 1;
    }

    /** The slot of a kept version in arrays of {@code length} slots whose newest is at {@link #lastSlot}. */
    private int slot(long version, int length) {
        int back = (int) (last - version);
        return lastSlot >= back ? lastSlot - back : lastSlot - back + length;
    }

    /**
     * Up to {@code limit} changes after {@code since}, oldest first, with their seats' coordinates from
     * {@code grid}; {@code HISTORY_EXPIRED} if one after {@code since} is no longer kept.
     */
    List<LoggedChange> after(long eventId, long since, int limit, SeatGrid grid) {
        if (since < first - 1) {
            throw new TicketingException(ErrorCode.HISTORY_EXPIRED, "event " + eventId + " keeps its changes from version "
                    + first + " on; changes since " + since + " are no longer kept");
        }
        long to = Math.min(last, since + limit);
        List<LoggedChange> page = new ArrayList<>((int) Math.max(0, to - since));
        for (long v = since + 1; v <= to; v++) {
            int slot = slot(v, lastEvents.length);
            SeatStatus status = STATUSES[statuses[slot]];
            int[] moved = seats[slot] != null ? seats[slot] : new int[] {oneSeat[slot]};
            List<SeatChange> changes = new ArrayList<>(moved.length);
            for (int index : moved) {
                var s = grid.reservedSeat(index);
                changes.add(new SeatChange(s.section(), s.subsection(), s.row(), s.seat(), status));
            }
            page.add(LoggedChange.of(v, lastEvents[slot], changes));
        }
        return page;
    }

    /** What happened in the newest change; null if there is none yet. */
    LastEvent lastEvent() {
        return lastSlot < 0 ? null : lastEvents[lastSlot];
    }

    /** The newest version kept (0: none). */
    long last() {
        return last;
    }
}
