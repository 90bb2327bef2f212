package io.ticketing.core.memory;

import io.ticketing.core.spi.ReservationPosition;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each buyer's reservations in list order, so that listing a buyer's reservations reads only theirs. An
 * entry is a reservation's creation time and row, not its id: an id of this store begins with its row
 * ({@link ReservationTable#idPrefix}), so among the reservations kept the row orders as the id does.
 *
 * <p>A buyer's entries live in two primitive arrays, so keeping a reservation listed allocates no object:
 * the index adds nothing for the collector to trace or copy, however many reservations the store keeps
 * (a hot on-sale keeps hundreds of thousands for their retention). Adding is amortised O(1) when entries
 * come in creation order (they do, but for threads racing on the clock: those take a short shift);
 * removing is O(log n), compacting when half of a buyer's slots are removed. Thread-safe; a buyer with no
 * reservation left takes no room.
 */
final class BuyerIndex {
    private final ConcurrentHashMap<Long, Entries> byBuyer = new ConcurrentHashMap<>();

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
        while (true) {
            Entries entries = byBuyer.get(buyerId); // a buyer's next reservation: no bin lock
            if (entries == null) {
                entries = byBuyer.computeIfAbsent(buyerId, b -> new Entries());
            }
            synchronized (entries) {
                if (!entries.retired) {
                    entries.add(createdMicros, row);
                    return;
                }
            }
            // emptied and dropped from the map meanwhile: take the buyer's new one
        }
    }

    void remove(long buyerId, Entry entry) {
        Entries entries = byBuyer.get(buyerId);
        if (entries == null) {
            return;
        }
        synchronized (entries) {
            if (entries.remove(entry.createdMicros, entry.row) && entries.isEmpty()) {
                entries.retired = true;
                byBuyer.remove(buyerId, entries);
            }
        }
    }

    /**
     * The buyer's entries strictly after {@code after} (or all, if null) in list order; weakly consistent
     * (each step reads the entries as they are then). At {@code after}'s time, that is the rows whose ids
     * sort below its id, less the row its id names.
     */
    Iterator<Entry> after(long buyerId, ReservationPosition after) {
        Entries entries = byBuyer.get(buyerId);
        if (entries == null) {
            return Collections.emptyIterator();
        }
        return after == null ? new Walk(entries, Long.MAX_VALUE, Integer.MAX_VALUE)
                : new Walk(entries, after.createdMicros(), firstRowNotBelow(after.id()));
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

    /**
     * One buyer's entries, oldest first (ascending time, then row) in {@code [start, end)} of two parallel
     * arrays; a removed entry stays in place as a tombstone (its row stored as {@code -1 - row}) so that the
     * order, and binary search, still hold. Guarded by {@code this}.
     */
    private static final class Entries {
        long[] micros = new long[4];
        int[] rows = new int[4];
        int start;
        int end;
        int removed;
        boolean retired;

        boolean isEmpty() {
            return start == end;
        }

        void add(long createdMicros, int row) {
            if (end == rows.length) {
                compact(Math.max(4, 2 * (end - start - removed + 1)));
            }
            int at = end;
            while (at > start && compare(at - 1, createdMicros, row) > 0) {
                at--;
            }
            System.arraycopy(micros, at, micros, at + 1, end - at);
            System.arraycopy(rows, at, rows, at + 1, end - at);
            micros[at] = createdMicros;
            rows[at] = row;
            end++;
        }

        boolean remove(long createdMicros, int row) {
            int at = firstNotBelow(createdMicros, row);
            if (at == end || compare(at, createdMicros, row) != 0 || rows[at] < 0) {
                return false;
            }
            rows[at] = -1 - row;
            removed++;
            while (start < end && rows[start] < 0) {
                start++;
                removed--;
            }
            while (end > start && rows[end - 1] < 0) {
                end--;
                removed--;
            }
            if (removed > 8 && removed * 2 > end - start) {
                compact(rows.length);
            }
            return true;
        }

        /** Copies the live entries to the front of arrays of {@code capacity} (at least their number). */
        private void compact(int capacity) {
            long[] m = capacity == micros.length ? micros : new long[capacity];
            int[] r = capacity == rows.length ? rows : new int[capacity];
            int n = 0;
            for (int i = start; i < end; i++) {
                if (rows[i] >= 0) {
                    m[n] = micros[i];
                    r[n++] = rows[i];
                }
            }
            micros = m;
            rows = r;
            start = 0;
            end = n;
            removed = 0;
        }

        /** The first index in {@code [start, end)} whose entry is not below (time, row); {@code end} if none. */
        int firstNotBelow(long createdMicros, int row) {
            int low = start;
            int high = end;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (compare(middle, createdMicros, row) < 0) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        /** The entry at {@code i} against (time, row), oldest first. */
        private int compare(int i, long createdMicros, int row) {
            int byTime = Long.compare(micros[i], createdMicros);
            return byTime != 0 ? byTime : Integer.compare(rows[i] < 0 ? -1 - rows[i] : rows[i], row);
        }
    }

    /** Newest first from below a bound, one binary search a step, so that no step sees a stale index. */
    private static final class Walk implements Iterator<Entry> {
        private final Entries entries;
        /** Every entry the walk has yet to return is below (time, row): older, or as old with a lower row. */
        private long boundMicros;
        private int boundRow;
        private Entry next;

        Walk(Entries entries, long boundMicros, int boundRow) {
            this.entries = entries;
            this.boundMicros = boundMicros;
            this.boundRow = boundRow;
            advance();
        }

        private void advance() {
            next = null;
            synchronized (entries) {
                for (int i = entries.firstNotBelow(boundMicros, boundRow) - 1; i >= entries.start; i--) {
                    if (entries.rows[i] >= 0) {
                        next = new Entry(entries.micros[i], entries.rows[i]);
                        break;
                    }
                }
            }
            if (next != null) {
                boundMicros = next.createdMicros();
                boundRow = next.row();
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            advance();
            return e;
        }
    }
}
