package io.ticketing.core.spi;

/**
 * The best-available ranking of the API, shared by every store so that the same seat states give the same
 * seats. It works on one row at a time: seats [{@code from}, {@code from + cols}) of a bit set in {@code long} words,
 * where bit {@code i} (bit {@code i % 64} of word {@code i / 64}) is set iff seat {@code i} is available.
 * Rows need not start on a word. Seats of a row are numbered from 0 here. Runs of available seats are
 * found a word at a time ({@link Long#numberOfTrailingZeros}), so a row costs O(words + runs), not O(seats).
 *
 * <p>A store first finds the row: among rows that have {@code quantity} adjacent available seats, the front
 * row whose pick can strand no seat ({@link #has}), else the front row with such a run at all
 * ({@link #hasRun}); only if there is none does it take separate seats ({@link #nearMiddle}). In that row
 * {@link #bestRun} picks the run. So the order is: (1) fewest seats newly stranded — available seats the
 * pick leaves alone between taken seats or the row's ends (the fewest is always 0 or 1, and a row that can
 * reach 0 has a maximal run of exactly {@code quantity} or of at least {@code quantity + 2}); (2) the row
 * nearest the front; (3) the run whose middle is nearest the row's middle; (4) the lower seat number.
 *
 * <p>A row is summed up by one mask ({@link #rowMask}): the OR over its maximal runs of
 * {@link #cleanFits}. The OR over several rows' masks says whether any of them qualifies, so a store can
 * keep the masks per row and combine them over groups of rows. Quantities are 1..{@value #MAX_QUANTITY}.
 * Stateless and thread-safe.
 */
public final class BestAvailable {
    /** The largest quantity the masks describe. */
    public static final int MAX_QUANTITY = 61;

    private BestAvailable() {
    }

    /**
     * Bit {@code q} (1..62) is set iff a maximal run of {@code length} available seats can give {@code q}
     * adjacent seats without stranding one: {@code q == length} or {@code q <= length - 2}.
     */
    public static long cleanFits(int length) {
        return upTo(length - 2) | (length <= MAX_QUANTITY + 1 ? 1L << length : 0);
    }

    /** Bits 1..n (none for n below 1, bits 1..62 from 62 on). */
    private static long upTo(int n) {
        return n < 1 ? 0 : n >= MAX_QUANTITY + 1 ? -2L >>> 1 & ~1L : (1L << (n + 1)) - 2;
    }

    /** Whether the rows of this mask have a run of {@code quantity} that strands no seat. */
    public static boolean has(long mask, int quantity) {
        return (mask >>> quantity & 1) != 0;
    }

    /**
     * Whether the rows of this mask have a run of {@code quantity} at all: a run of exactly
     * {@code quantity + 1} is the one kind that cannot give {@code quantity} without stranding, and it
     * gives {@code quantity + 1} cleanly.
     */
    public static boolean hasRun(long mask, int quantity) {
        return (mask >>> quantity & 3) != 0;
    }

    /** The mask of the row [{@code from}, {@code from + cols}) of {@code free}: the OR of {@link #cleanFits} over its maximal runs. */
    public static long rowMask(long[] free, int from, int cols) {
        long mask = 0;
        int end = from + cols;
        for (int start = nextFree(free, from, end); start < end; ) {
            int stop = nextTaken(free, start, end);
            mask |= cleanFits(stop - start);
            start = nextFree(free, stop, end);
        }
        return mask;
    }

    /**
     * The first seat (0-based in the row) of the best run of {@code quantity} adjacent available seats in the
     * row [{@code from}, {@code from + cols}) of {@code free} — fewest seats newly stranded, then middle nearest the
     * row's middle, then lowest — or -1 if the row has no such run. At most four candidates per maximal run
     * of available seats: a start strands a seat only when it is one after the run's first start or one
     * before its last, so the best is the first start, the last, or the start nearest the middle among
     * those that strand none or among all.
     */
    public static int bestRun(long[] free, int from, int cols, int quantity) {
        long best = Long.MAX_VALUE;
        int end = from + cols;
        int middle = (cols - quantity) / 2; // of two starts equally near the middle, the lower
        for (int start = nextFree(free, from, end); start < end; ) {
            int stop = nextTaken(free, start, end);
            int first = start - from;
            int last = stop - from - quantity; // the last start of a run within the available seats first..stop-1
            if (last >= first) {
                long inRun = Math.min(rank(first, first, last, cols, quantity), rank(last, first, last, cols, quantity));
                inRun = Math.min(inRun, rank(clamp(middle, first, last), first, last, cols, quantity));
                if (first + 2 <= last - 2) {
                    inRun = Math.min(inRun, rank(clamp(middle, first + 2, last - 2), first, last, cols, quantity));
                }
                best = Math.min(best, inRun);
            }
            start = nextFree(free, stop, end);
        }
        return best == Long.MAX_VALUE ? -1 : (int) (best & SEAT_BITS);
    }

    private static int clamp(int s, int low, int high) {
        return Math.max(low, Math.min(high, s));
    }

    /** The first available seat of {@code free} in {@code i..end}, or {@code end} if there is none before it. */
    private static int nextFree(long[] free, int i, int end) {
        return next(free, i, end, 0);
    }

    /** The first taken seat of {@code free} in {@code i..end}, or {@code end} if there is none before it. */
    private static int nextTaken(long[] free, int i, int end) {
        return next(free, i, end, -1L);
    }

    /** The first bit in {@code i..end} of the words {@code free[k] ^ flip} that is set, or {@code end}. */
    private static int next(long[] free, int i, int end, long flip) {
        if (i >= end) {
            return end;
        }
        int w = i >>> 6;
        long word = (free[w] ^ flip) & -1L << i; // the shift counts i % 64
        while (word == 0) {
            if (++w << 6 >= end) {
                return end;
            }
            word = free[w] ^ flip;
        }
        return Math.min(end, w << 6 | Long.numberOfTrailingZeros(word));
    }

    private static final long SEAT_BITS = (1 << 21) - 1;

    /**
     * The start {@code s} of a run within a maximal run whose starts go {@code first..last}, as one number
     * that orders starts as the ranking does: seats stranded, then twice the distance between the run's
     * middle and the row's, then the seat.
     */
    private static long rank(int s, int first, int last, int cols, int quantity) {
        long stranded = (s - first == 1 ? 1 : 0) + (last - s == 1 ? 1 : 0);
        long distance = Math.abs(2 * s + quantity - cols);
        return stranded << 42 | distance << 21 | s;
    }

    /**
     * Adds up to {@code quantity - n} available seats of the row [{@code from}, {@code from + cols}) of {@code free} to
     * {@code into[n..]} as absolute indexes ({@code from +} seat), nearest the row's middle first (of two
     * equally near, the lower); returns the new {@code n}. O(cols).
     */
    public static int nearMiddle(long[] free, int from, int cols, int[] into, int n, int quantity) {
        int left = (cols - 1) / 2;
        int right = cols / 2;
        if (left == right) {
            n = take(free, from, left, into, n, quantity);
            left--;
            right++;
        }
        for (; n < quantity && (left >= 0 || right < cols); left--, right++) {
            if (left >= 0) {
                n = take(free, from, left, into, n, quantity);
            }
            if (right < cols) {
                n = take(free, from, right, into, n, quantity);
            }
        }
        return n;
    }

    private static int take(long[] free, int from, int seat, int[] into, int n, int quantity) {
        int i = from + seat;
        if (n < quantity && (free[i >>> 6] >>> i & 1) != 0) {
            into[n++] = from + seat;
        }
        return n;
    }
}
