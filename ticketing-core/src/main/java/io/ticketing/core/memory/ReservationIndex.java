package io.ticketing.core.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Predicate;

/**
 * The in-memory store's reservations by id: lookups need no lock, adds are serialised. Entries go into an
 * append-only array of chunks, and the hash table holds only longs (the id's hash and the entry's
 * position). The store keeps every reservation it ever made, and for G1 that layout matters: an add
 * writes one reference next to the previous one, instead of into a random slot of a large reference
 * table whose every dirtied card the collector must refine and scan again.
 */
final class ReservationIndex {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int CHUNK_BITS = 15;
    private static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;
    /** Never replaced, so that a reader can reach the chunk of every position it finds: 2^28 entries. */
    private final StoredReservation[][] chunks = new StoredReservation[1 << 13][];
    /** Open addressing, at most half full; a slot is {@code hash << 32 | position + 1}, 0 when empty. */
    private volatile long[] slots = new long[1024];
    private int size;

    /** The reservation with this id, or null. */
    StoredReservation get(String id) {
        long[] table = slots;
        int hash = id.hashCode();
        int mask = table.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            long slot = (long) SLOT.getAcquire(table, i);
            if (slot == 0) {
                return null;
            }
            if ((int) (slot >>> 32) == hash) {
                int position = (int) slot - 1;
                StoredReservation r = chunks[position >>> CHUNK_BITS][position & CHUNK_MASK];
                if (r != null && r.id.equals(id)) {
                    return r;
                }
            }
        }
    }

    /** Adds a reservation whose id is not in the index yet. */
    synchronized void add(StoredReservation r) {
        if (size == chunks.length << CHUNK_BITS) {
            throw new IllegalStateException("the in-memory store holds " + size + " reservations, its limit");
        }
        int position = size++;
        StoredReservation[] chunk = chunks[position >>> CHUNK_BITS];
        if (chunk == null) {
            chunk = new StoredReservation[1 << CHUNK_BITS];
            chunks[position >>> CHUNK_BITS] = chunk;
        }
        chunk[position & CHUNK_MASK] = r;
        long slot = (long) r.id.hashCode() << 32 | position + 1L;
        if (2 * size <= slots.length) {
            insert(slots, slot); // a release write: a reader that finds the slot sees the entry
        } else {
            long[] bigger = new long[slots.length * 2];
            for (long s : slots) {
                if (s != 0) {
                    insert(bigger, s);
                }
            }
            insert(bigger, slot);
            slots = bigger;
        }
    }

    /** Forgets the reservations that match, in O(all reservations); for undoing an event's creation. */
    synchronized void removeIf(Predicate<StoredReservation> filter) {
        for (int position = 0; position < size; position++) {
            StoredReservation[] chunk = chunks[position >>> CHUNK_BITS];
            StoredReservation r = chunk[position & CHUNK_MASK];
            if (r != null && filter.test(r)) {
                chunk[position & CHUNK_MASK] = null;
            }
        }
    }

    /** How many reservations were added. */
    synchronized int size() {
        return size;
    }

    private static void insert(long[] table, long slot) {
        int mask = table.length - 1;
        int i = spread((int) (slot >>> 32)) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        SLOT.setRelease(table, i, slot);
    }

    private static int spread(int hash) {
        return (hash ^ hash >>> 16) * 0x9E3779B9;
    }
}
