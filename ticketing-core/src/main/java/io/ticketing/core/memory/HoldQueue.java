package io.ticketing.core.memory;

import io.ticketing.core.model.ReservationStatus;
import java.util.Arrays;

/**
 * An event's held reservations as rows of the {@link ReservationTable}, in creation order, which is expiry
 * order because every hold lasts as long. A hold that ends otherwise stays listed until the sweep reaches
 * it or the array, full, is compacted; so adding and ending cost O(1) amortised and allocate nothing.
 * Guarded by the event's lock.
 */
final class HoldQueue {
    private final ReservationTable table;
    private int[] rows = new int[16];
    private int head;
    private int tail;
    private int held;

    HoldQueue(ReservationTable table) {
        this.table = table;
    }

    /** Lists a new hold, the newest. */
    void add(int row) {
        if (tail == rows.length) {
            compact();
        }
        rows[tail++] = row;
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
            int row = rows[head];
            if (table.status(row) == ReservationStatus.HELD) {
                return row;
            }
            head++;
        }
        return -1;
    }

    /** Drops the holds that ended, and makes the array larger if it is still more than half full. */
    private void compact() {
        int kept = 0;
        for (int k = head; k < tail; k++) {
            if (table.status(rows[k]) == ReservationStatus.HELD) {
                rows[kept++] = rows[k];
            }
        }
        head = 0;
        tail = kept;
        if (2 * kept > rows.length) {
            rows = Arrays.copyOf(rows, 2 * rows.length);
        }
    }
}
