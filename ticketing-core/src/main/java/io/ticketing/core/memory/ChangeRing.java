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
 * array starts small and doubles up to {@code capacity}, so a quiet event costs little. A change keeps the
 * grid indexes of its seats (4 bytes a seat); they become coordinates only when read. Guarded by the event's
 * lock.
 */
final class ChangeRing {
    private static final int INITIAL_SLOTS = 16;

    private final int capacity;
    private Entry[] entries;
    /** The oldest version kept, and the newest (0: none yet). */
    private long first = 1;
    private long last;

    ChangeRing(int capacity) {
        this.capacity = capacity;
        this.entries = new Entry[Math.min(INITIAL_SLOTS, capacity)];
    }

    /** One change as kept: {@code seats} are grid indexes, all moved to {@code status}. */
    record Entry(long version, LastEvent lastEvent, int[] seats, SeatStatus status) {
    }

    /** Appends the change of the next version, forgetting the oldest one if the ring is full. */
    void append(Entry entry) {
        if (entry.version != last + 1 && last != 0) {
            throw new IllegalStateException("change " + entry.version + " does not follow " + last);
        }
        if (last == 0) {
            first = entry.version;
        }
        last = entry.version;
        if (last - first + 1 > entries.length) {
            if (entries.length < capacity) {
                grow();
            } else {
                first++;
            }
        }
        entries[slot(last)] = entry;
    }

    private void grow() {
        Entry[] bigger = new Entry[Math.min(capacity, entries.length * 2)];
        for (long v = first; v < last; v++) {
            bigger[(int) (v % bigger.length)] = entries[slot(v)];
        }
        entries = bigger;
    }

    private int slot(long version) {
        return (int) (version % entries.length);
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
            Entry e = entries[slot(v)];
            List<SeatChange> seats = new ArrayList<>(e.seats.length);
            for (int index : e.seats) {
                var s = grid.reservedSeat(index);
                seats.add(new SeatChange(s.section(), s.subsection(), s.row(), s.seat(), e.status));
            }
            page.add(LoggedChange.of(v, e.lastEvent, seats));
        }
        return page;
    }

    /** The newest version kept (0: none). */
    long last() {
        return last;
    }
}
