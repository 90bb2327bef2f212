package io.ticketing.core.memory;

/**
 * Each buyer's held + confirmed seats of one event, for the cap per buyer: buyer ids to positive counts in
 * one open-addressing table (linear probing, backward-shift deletion), so that counting a reservation
 * allocates nothing and boxes nothing under the event's lock. A buyer whose count falls to zero is removed;
 * the table grows at half full and shrinks at an eighth. Not thread-safe: the event's lock guards it.
 */
final class BuyerSeatCounts {
    private static final int MIN_CAPACITY = 16;
    private long[] buyers = new long[MIN_CAPACITY];
    /** 0 marks a free slot (a present buyer's count is never 0). */
    private int[] counts = new int[MIN_CAPACITY];
    private int size;

    /** The buyer's seats, 0 if none. */
    int get(long buyerId) {
        int mask = buyers.length - 1;
        for (int i = slot(buyerId, mask); counts[i] != 0; i = (i + 1) & mask) {
            if (buyers[i] == buyerId) {
                return counts[i];
            }
        }
        return 0;
    }

    /** Adds {@code delta} (negative to release) to the buyer's seats and returns the new count, never below 0. */
    int add(long buyerId, int delta) {
        int mask = buyers.length - 1;
        int i = slot(buyerId, mask);
        while (counts[i] != 0 && buyers[i] != buyerId) {
            i = (i + 1) & mask;
        }
        int after = Math.max(0, counts[i] + delta);
        if (counts[i] == 0) {
            if (after > 0) {
                buyers[i] = buyerId;
                counts[i] = after;
                if (++size * 2 > buyers.length) {
                    resize(buyers.length * 2);
                }
            }
        } else if (after > 0) {
            counts[i] = after;
        } else {
            removeAt(i);
        }
        return after;
    }

    /** Frees slot {@code i}, moving later entries of its probe run back so that no look-up stops short. */
    private void removeAt(int i) {
        int mask = buyers.length - 1;
        int free = i;
        for (int j = (i + 1) & mask; counts[j] != 0; j = (j + 1) & mask) {
            int home = slot(buyers[j], mask);
            // j's entry may move to the free slot if its home is not in the cyclic range (free, j]
            if (((j - home) & mask) >= ((j - free) & mask)) {
                buyers[free] = buyers[j];
                counts[free] = counts[j];
                free = j;
            }
        }
        counts[free] = 0;
        if (--size * 8 < buyers.length && buyers.length > MIN_CAPACITY) {
            resize(buyers.length / 2);
        }
    }

    private void resize(int capacity) {
        long[] oldBuyers = buyers;
        int[] oldCounts = counts;
        buyers = new long[capacity];
        counts = new int[capacity];
        int mask = capacity - 1;
        for (int k = 0; k < oldBuyers.length; k++) {
            if (oldCounts[k] != 0) {
                int i = slot(oldBuyers[k], mask);
                while (counts[i] != 0) {
                    i = (i + 1) & mask;
                }
                buyers[i] = oldBuyers[k];
                counts[i] = oldCounts[k];
            }
        }
    }

    private static int slot(long buyerId, int mask) {
        long h = buyerId * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32) & mask;
    }
}
