package io.ticketing.core.memory;

import io.ticketing.core.spi.BestAvailable;

/**
 * For each subsection block of a {@link SeatGrid}, a segment tree over its rows of the {@link BestAvailable}
 * masks ({@code cleanFits} and {@code fits} of each row, OR-ed up the tree), so that best available finds the
 * front row that qualifies in O(log rows), skipping full rows without visiting them. Updating a row's masks
 * costs O(log rows), less when its parent's masks do not change. Memory: 16 bytes per tree node, 2 to 4
 * nodes per row (a block's tree has a power of two ≥ rows leaves): 32 KB for a 1,000-row block. Not
 * thread-safe: guarded like its grid.
 */
final class RowIndex {
    private final int rows;
    /** Leaves per block tree: a power of two, at least {@code rows}. Node k of block b is at {@code b * 2 * size + k}. */
    private final int size;
    private final long[] clean;
    private final long[] fits;

    /** An index of {@code blocks} blocks whose {@code rows × cols} seats are all available. */
    RowIndex(int blocks, int rows, int cols) {
        this.rows = rows;
        this.size = Integer.highestOneBit(Math.max(1, rows - 1)) << (rows > 1 ? 1 : 0);
        clean = new long[blocks * 2 * size];
        fits = new long[blocks * 2 * size];
        long freeClean = BestAvailable.cleanFits(cols);
        long freeFits = BestAvailable.fits(cols);
        for (int b = 0; b < blocks; b++) {
            int base = b * 2 * size;
            for (int r = 0; r < rows; r++) {
                clean[base + size + r] = freeClean;
                fits[base + size + r] = freeFits;
            }
            for (int k = size - 1; k >= 1; k--) {
                clean[base + k] = clean[base + 2 * k] | clean[base + 2 * k + 1];
                fits[base + k] = fits[base + 2 * k] | fits[base + 2 * k + 1];
            }
        }
    }

    /** Sets the masks of row {@code row} (0-based) of block {@code block}. */
    void update(int block, int row, long cleanMask, long fitsMask) {
        int base = block * 2 * size;
        int k = size + row;
        if (clean[base + k] == cleanMask && fits[base + k] == fitsMask) {
            return;
        }
        clean[base + k] = cleanMask;
        fits[base + k] = fitsMask;
        for (k >>>= 1; k >= 1; k >>>= 1) {
            long c = clean[base + 2 * k] | clean[base + 2 * k + 1];
            long f = fits[base + 2 * k] | fits[base + 2 * k + 1];
            if (clean[base + k] == c && fits[base + k] == f) {
                return; // the ancestors already say this
            }
            clean[base + k] = c;
            fits[base + k] = f;
        }
    }

    /**
     * The first row at or after {@code fromRow} of the block whose {@code cleanFits} (if {@code clean}) or
     * {@code fits} mask has {@code quantity}, or -1. O(log rows).
     */
    int first(int block, boolean clean, int quantity, int fromRow) {
        if (fromRow >= rows) {
            return -1;
        }
        return first(clean ? this.clean : fits, block * 2 * size, 1, 0, size - 1, fromRow, quantity);
    }

    private static int first(long[] masks, int base, int node, int lo, int hi, int from, int quantity) {
        if (hi < from || !BestAvailable.has(masks[base + node], quantity)) {
            return -1;
        }
        if (lo == hi) {
            return lo;
        }
        int mid = (lo + hi) >>> 1;
        int found = first(masks, base, 2 * node, lo, mid, from, quantity);
        return found >= 0 ? found : first(masks, base, 2 * node + 1, mid + 1, hi, from, quantity);
    }
}
