package io.ticketing.core.memory;

import io.ticketing.core.spi.BestAvailable;

/**
 * For each subsection block of a {@link SeatGrid}, a segment tree over its rows of their
 * {@link BestAvailable#rowMask}s, OR-ed up the tree, so that best available finds the front row that
 * qualifies in O(log rows), skipping full rows without visiting them. Updating a row's mask costs
 * O(log rows), less when its parent's mask does not change. Memory: 8 bytes per tree node, 2 to 4 nodes
 * per row (a block's tree has a power of two ≥ rows leaves): 16 KB for a 1,000-row block. Not thread-safe:
 * guarded like its grid.
 */
final class RowIndex {
    private final int rows;
    /** Leaves per block tree: a power of two, at least {@code rows}. Node k of block b is at {@code b * 2 * size + k}. */
    private final int size;
    private final long[] masks;

    /** An index of {@code blocks} blocks whose {@code rows × cols} seats are all available. */
    RowIndex(int blocks, int rows, int cols) {
        this.rows = rows;
        this.size = Integer.highestOneBit(Math.max(1, rows - 1)) << (rows > 1 ? 1 : 0);
        masks = new long[blocks * 2 * size];
        long free = BestAvailable.cleanFits(cols);
        for (int b = 0; b < blocks; b++) {
            int base = b * 2 * size;
            for (int r = 0; r < rows; r++) {
                masks[base + size + r] = free;
            }
            for (int k = size - 1; k >= 1; k--) {
                masks[base + k] = masks[base + 2 * k] | masks[base + 2 * k + 1];
            }
        }
    }

    /** Sets the mask of row {@code row} (0-based) of block {@code block}. */
    void update(int block, int row, long mask) {
        int base = block * 2 * size;
        int k = size + row;
        if (masks[base + k] == mask) {
            return;
        }
        masks[base + k] = mask;
        for (k >>>= 1; k >= 1; k >>>= 1) {
            long combined = masks[base + 2 * k] | masks[base + 2 * k + 1];
            if (masks[base + k] == combined) {
                return; // the ancestors already say this
            }
            masks[base + k] = combined;
        }
    }

    /**
     * The first row at or after {@code fromRow} of the block that has a run of {@code quantity} stranding no
     * seat (if {@code clean}, {@link BestAvailable#has}) or any such run ({@link BestAvailable#hasRun}), or
     * -1. O(log rows).
     */
    int first(int block, boolean clean, int quantity, int fromRow) {
        if (fromRow >= rows) {
            return -1;
        }
        return first(block * 2 * size, 1, 0, size - 1, fromRow, clean, quantity);
    }

    private int first(int base, int node, int lo, int hi, int from, boolean clean, int quantity) {
        long mask = masks[base + node];
        if (hi < from || !(clean ? BestAvailable.has(mask, quantity) : BestAvailable.hasRun(mask, quantity))) {
            return -1;
        }
        if (lo == hi) {
            return lo;
        }
        int mid = (lo + hi) >>> 1;
        int found = first(base, 2 * node, lo, mid, from, clean, quantity);
        return found >= 0 ? found : first(base, 2 * node + 1, mid + 1, hi, from, clean, quantity);
    }
}
