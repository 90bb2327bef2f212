package io.ticketing.core.memory;

import io.ticketing.core.spi.ReservationPosition;
import java.util.Collections;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Each buyer's reservations in list order, so that listing a buyer's reservations reads only theirs. An
 * entry is a reservation's creation time and row, not its id: an id of this store begins with its row
 * ({@link ReservationTable#idPrefix}), so among the reservations kept the row orders as the id does, and
 * an entry costs one small object and no string. Thread-safe; a buyer with no reservation left takes no room.
 */
final class BuyerIndex {
    private final ConcurrentHashMap<Long, NavigableSet<Entry>> byBuyer = new ConcurrentHashMap<>();

    /**
     * A reservation's place in its buyer's list ({@link ReservationPosition}'s order): newest first, then
     * the greater row (so the greater id) first.
     */
    record Entry(long createdMicros, int row) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byTime = Long.compare(other.createdMicros, createdMicros);
            return byTime != 0 ? byTime : Integer.compare(other.row, row);
        }
    }

    void add(long buyerId, long createdMicros, int row) {
        byBuyer.computeIfAbsent(buyerId, b -> new ConcurrentSkipListSet<>()).add(new Entry(createdMicros, row));
    }

    void remove(long buyerId, Entry entry) {
        byBuyer.computeIfPresent(buyerId, (b, set) -> {
            set.remove(entry);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * The buyer's entries strictly after {@code after} (or all, if null) in list order; weakly consistent.
     * At {@code after}'s time, that is the rows whose ids sort below its id, less the row its id names.
     */
    Iterator<Entry> after(long buyerId, ReservationPosition after) {
        NavigableSet<Entry> set = byBuyer.get(buyerId);
        if (set == null) {
            return Collections.emptyIterator();
        }
        return (after == null ? set : set.tailSet(new Entry(after.createdMicros(), firstRowNotBelow(after.id())),
                false)).iterator();
    }

    /**
     * The first row whose id prefix is not below {@code id}'s first {@link ReservationTable#ID_PREFIX_LENGTH}
     * characters (a binary search over the prefixes, which increase with the row), capped at
     * {@link Integer#MAX_VALUE}: every row below it has an id below {@code id}.
     */
    private static int firstRowNotBelow(String id) {
        String head = id.length() > ReservationTable.ID_PREFIX_LENGTH
                ? id.substring(0, ReservationTable.ID_PREFIX_LENGTH) : id;
        long low = 0;
        long high = Integer.MAX_VALUE;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (ReservationTable.idPrefix((int) middle).compareTo(head) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return (int) low;
    }
}
