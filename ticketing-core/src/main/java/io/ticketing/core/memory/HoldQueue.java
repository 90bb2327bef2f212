package io.ticketing.core.memory;

import io.ticketing.core.model.ReservationStatus;
import java.time.Instant;
import java.util.Arrays;

/**
 * An event's held reservations as rows of the {@link ReservationTable}, in creation order, which is expiry
 * order: every hold lasts as long, and one that a thread made with an older clock reading than the hold
 * listed before it is made to last until that one ({@link #expiryAfterLast}). A hold that ends otherwise stays listed until the sweep reaches
 * it or the array, full, is compacted; so adding and ending cost O(1) amortised and allocate nothing.
 * Each entry keeps the row's tag (its low 32 bits) too, so that a row forgotten and taken again by another
 * reservation is not mistaken for the hold listed. Guarded by the event's lock.
 */
final class HoldQueue {
    private final ReservationTable table;
    /** The tag's low 32 bits, then the row. */
    private long[] entries = new long[16];
    private int head;
    private int tail;
    private int held;
    /** The expiry of the hold listed last. */
    private Instant lastExpiry;

    HoldQueue(ReservationTable table) {
        this.table = table;
    }

    /**
     * {@code expiresAt}, or the expiry of the hold listed last if that is later: a thread that read the clock
     * and then waited for the event's lock must not list a hold that lapses before the one listed ahead of
     * it, which the sweep, going in list order, would reach only after that one. Such a hold lasts a little
     * longer than asked (as long as the thread waited), never shorter. Call before listing the hold.
     */
    Instant expiryAfterLast(Instant expiresAt) {
        if (lastExpiry != null && expiresAt.isBefore(lastExpiry)) {
            return lastExpiry;
        }
        lastExpiry = expiresAt;
        return expiresAt;
    }

    /** Lists a new hold, the newest. */
    void add(int row) {
        if (tail == entries.length) {
            compact();
        }
        entries[tail++] = (long) table.tagLow(row) << 32 | row;
        held++;
    }

    /** One listed hold ended (confirmed, cancelled or expired). */
    void ended() {
        if (--held == 0) {
            head = 0;
            tail = 0;
        }
    }

    /** How many holds are listed and still held. */
    int held() {
        return held;
    }

    /** The row of the oldest hold that is still held, or -1. */
    int oldest() {
        while (head < tail) {
            long entry = entries[head];
            if (isHeld(entry)) {
                return (int) entry;
            }
            head++;
        }
        return -1;
    }

    /** Drops the holds that ended, and makes the array larger if it is still more than half full. */
    private void compact() {
        int kept = 0;
        for (int k = head; k < tail; k++) {
            if (isHeld(entries[k])) {
                entries[kept++] = entries[k];
            }
        }
        head = 0;
        tail = kept;
        if (2 * kept > entries.length) {
            entries = Arrays.copyOf(entries, 2 * entries.length);
        }
    }

    /** Whether the entry's row is still the hold listed, and held. */
    private boolean isHeld(long entry) {
        int row = (int) entry;
        return table.status(row) == ReservationStatus.HELD && table.tagLow(row) == (int) (entry >>> 32);
    }
}
