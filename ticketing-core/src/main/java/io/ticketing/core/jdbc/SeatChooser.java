package io.ticketing.core.jdbc;

import io.ticketing.core.spi.BestAvailable;
import java.util.Arrays;

/**
 * Chooses best-available seats of one subsection, as {@link BestAvailable} ranks them, from the ids of its
 * available seats fed in increasing order ({@code seat_id} numbers an event's seats in block, row, seat
 * order, {@code cols} to a row). It rebuilds one row at a time and is {@linkplain #done done} at the end of
 * the first row that has a run of {@code quantity} stranding no seat: the front rows before it cannot win,
 * and no later row can. Otherwise it remembers the first row with any run, and the separate seats the front
 * rows would give, for the end of the feed. O(cols) per row fed. Not thread-safe.
 */
final class SeatChooser {
    private final int cols;
    private final int quantity;
    private final byte[] row;
    /** The row being rebuilt (seat_id − 1) / cols, or -1 before the first seat. */
    private int rowIndex = -1;
    private boolean rowHasSeats;
    private int[] chosen;
    /** The first row with a run of {@code quantity} that strands a seat, or null. */
    private byte[] runRow;
    private int runRowFirstId;
    private final int[] separate;
    private int separateCount;

    SeatChooser(int cols, int quantity) {
        this.cols = cols;
        this.quantity = quantity;
        this.row = taken(new byte[cols]);
        this.separate = new int[quantity];
    }

    /** Adds the next available seat, whose id is greater than every id added before. */
    void add(int seatId) {
        int index = (seatId - 1) / cols;
        if (index != rowIndex) {
            endRow();
            rowIndex = index;
        }
        row[seatId - 1 - index * cols] = 0;
        rowHasSeats = true;
    }

    /** Whether the choice is made: a row has a run that strands no seat, and it is complete. */
    boolean done() {
        return chosen != null;
    }

    /**
     * The chosen seat ids once every available seat up to the end of the subsection (or until {@link #done})
     * has been added: a run, else separate seats; fewer than {@code quantity} if the subsection has fewer.
     */
    int[] choice() {
        endRow();
        if (chosen != null) {
            return chosen;
        }
        if (runRow != null) {
            return run(runRow, runRowFirstId);
        }
        return Arrays.copyOf(separate, separateCount);
    }

    private void endRow() {
        if (!rowHasSeats || chosen != null) {
            return;
        }
        int firstId = rowIndex * cols + 1;
        long mask = BestAvailable.rowMask(row, 0, cols);
        if (BestAvailable.has(mask, quantity)) {
            chosen = run(row, firstId);
            return;
        }
        if (runRow == null && BestAvailable.hasRun(mask, quantity)) {
            runRow = row.clone();
            runRowFirstId = firstId;
        }
        if (separateCount < quantity) {
            int before = separateCount;
            separateCount = BestAvailable.nearMiddle(row, 0, cols, separate, separateCount, quantity);
            for (int k = before; k < separateCount; k++) {
                separate[k] += firstId;
            }
        }
        taken(row);
        rowHasSeats = false;
    }

    private int[] run(byte[] seats, int firstId) {
        int start = firstId + BestAvailable.bestRun(seats, 0, cols, quantity);
        int[] ids = new int[quantity];
        for (int k = 0; k < quantity; k++) {
            ids[k] = start + k;
        }
        return ids;
    }

    private static byte[] taken(byte[] seats) {
        Arrays.fill(seats, (byte) 1);
        return seats;
    }
}
