package io.ticketing.core.memory;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMap;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionStatistics;
import io.ticketing.core.spi.BestAvailable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seats of one event as one byte per seat and one bit per available seat (what best available reads, a
 * word at a time), with per-subsection counters and per-row run masks
 * ({@link RowIndex}) kept in step by {@link #set}, the only way seats change (the masks lazily, before
 * best available reads them). Seat index layout: subsection block, then
 * row, then seat; subsection blocks in config order. Not thread-safe: guarded by its {@link EventState},
 * except the methods that read only the layout, which is immutable: {@link #index}, {@link #reservedSeat},
 * {@link #snapshot}.
 */
final class SeatGrid {
    private static final SeatStatus[] STATUSES = SeatStatus.values();
    private static final char[] CODES = {SeatMap.code(SeatStatus.AVAILABLE), SeatMap.code(SeatStatus.RESERVED),
            SeatMap.code(SeatStatus.SOLD)};

    private final int rows;
    private final int cols;
    private final int blockSize;
    private final Map<String, Integer> firstBlockOfSection = new HashMap<>();
    private final String[] blockSection;
    private final int[] blockSubsection;
    private final long[] blockPrice;
    private final byte[] status;
    /** Bit i set iff seat i is available: {@link BestAvailable}'s rows, kept with {@link #status}. */
    private final long[] free;
    /**
     * The rows' run masks, brought up to date lazily: a seat change marks its row stale (once), and best
     * available recomputes the stale rows first. So explicit reservations pay nothing for the masks, and a
     * row that changes many times between two best-available picks is recomputed once.
     */
    private final RowIndex rowIndex;
    /** Whether each row (numbered across blocks) is in {@link #staleRows}. */
    private final boolean[] stale;
    /** The stale rows (numbered across blocks), each once, in {@code staleRows[0..staleCount)}. */
    private final int[] staleRows;
    private int staleCount;
    /** counts[block * 3 + status ordinal], then the event's totals at counts[totalsAt + status ordinal] */
    private final int[] counts;
    private final int totalsAt;

    SeatGrid(SeatingConfig config) {
        rows = config.rows();
        cols = config.cols();
        blockSize = rows * cols;
        int blocks = 0;
        for (Section s : config.sections()) {
            firstBlockOfSection.put(s.name(), blocks);
            blocks += s.subsections();
        }
        blockSection = new String[blocks];
        blockSubsection = new int[blocks];
        blockPrice = new long[blocks];
        int b = 0;
        for (Section s : config.sections()) {
            for (int sub = 1; sub <= s.subsections(); sub++, b++) {
                blockSection[b] = s.name();
                blockSubsection[b] = sub;
                blockPrice[b] = s.price();
            }
        }
        status = new byte[blocks * blockSize]; // all AVAILABLE (ordinal 0)
        free = new long[(status.length + 63) >>> 6];
        Arrays.fill(free, -1L);
        rowIndex = new RowIndex(blocks, rows, cols);
        stale = new boolean[blocks * rows];
        staleRows = new int[blocks * rows];
        totalsAt = blocks * 3;
        counts = new int[totalsAt + 3];
        for (int i = 0; i < blocks; i++) {
            counts[i * 3] = blockSize;
        }
        counts[totalsAt] = status.length;
    }

    /** The subsection's block, or -1 if the event has no such subsection. */
    int block(String section, int subsection) {
        Integer first = firstBlockOfSection.get(section);
        int block = first == null || subsection < 1 ? -1 : first + subsection - 1;
        // past the section's last subsection lies a later section's block, numbered lower within it
        return block >= 0 && block < blockSubsection.length && blockSubsection[block] == subsection ? block : -1;
    }

    /** The seat's index, or -1 if the event has no such seat. */
    int index(SeatRef ref) {
        int block = block(ref.section(), ref.subsection());
        if (block < 0 || ref.row() < 1 || ref.row() > rows || ref.seat() < 1 || ref.seat() > cols) {
            return -1;
        }
        return (block * rows + ref.row() - 1) * cols + ref.seat() - 1;
    }

    SeatStatus status(int index) {
        return STATUSES[status[index]];
    }

    /** Moves seats to a new status, keeping every counter in step and marking their rows' masks stale. */
    void set(int[] indexes, SeatStatus to) {
        for (int index : indexes) {
            set(index, to);
        }
    }

    /** {@link #set(int[], SeatStatus)} for one seat. */
    void set(int index, SeatStatus to) {
        change(index, to);
        int row = index / cols;
        if (!stale[row]) {
            stale[row] = true;
            staleRows[staleCount++] = row;
        }
    }

    private void change(int index, SeatStatus to) {
        int from = status[index];
        int block = index / blockSize;
        if (from == to.ordinal()) {
            return;
        }
        status[index] = (byte) to.ordinal();
        if (to == SeatStatus.AVAILABLE) {
            free[index >>> 6] |= 1L << index;
        } else {
            free[index >>> 6] &= ~(1L << index);
        }
        counts[block * 3 + from]--;
        counts[block * 3 + to.ordinal()]++;
        counts[totalsAt + from]--;
        counts[totalsAt + to.ordinal()]++;
    }

    /**
     * Recomputes the masks of the rows whose seats changed since; O(cols / 64 + runs + log rows) each, runs
     * being the row's maximal runs of available seats.
     */
    private void refreshStaleRows() {
        for (int k = 0; k < staleCount; k++) {
            int row = staleRows[k];
            rowIndex.update(row / rows, row % rows, BestAvailable.rowMask(free, row * cols, cols));
            stale[row] = false;
        }
        staleCount = 0;
    }

    int remaining() {
        return counts[totalsAt];
    }

    /** A copy of every counter, from which {@link #snapshot} builds statistics without the lock. */
    int[] counts() {
        return counts.clone();
    }

    /**
     * {@code quantity} (1..50) available seats of one subsection, ranked as {@link BestAvailable} states; null
     * if the subsection has fewer available or is {@code -1} (no such subsection). O(log rows + row) when
     * a row has a run of {@code quantity}, else O(k (log rows + cols)) for the k rows it takes seats from:
     * never more for rows that are full; plus O(log rows + row) for each row whose seats changed since the
     * last pick (see {@link #rowIndex}). O(row) is O(cols / 64 + runs): the row is read a word at a time.
     */
    int[] bestAvailable(int block, int quantity) {
        if (block < 0 || counts[block * 3] < quantity) {
            return null;
        }
        refreshStaleRows();
        int row = rowIndex.first(block, true, quantity, 0);
        if (row < 0) {
            row = rowIndex.first(block, false, quantity, 0);
        }
        if (row >= 0) {
            int from = (block * rows + row) * cols;
            int start = from + BestAvailable.bestRun(free, from, cols, quantity);
            int[] run = new int[quantity];
            for (int k = 0; k < quantity; k++) {
                run[k] = start + k;
            }
            return run;
        }
        int[] picked = new int[quantity];
        int n = 0;
        for (int r = rowIndex.first(block, false, 1, 0); n < quantity; r = rowIndex.first(block, false, 1, r + 1)) {
            n = BestAvailable.nearMiddle(free, (block * rows + r) * cols, cols, picked, n, quantity);
        }
        return picked;
    }

    ReservedSeat reservedSeat(int index) {
        int block = index / blockSize;
        int inBlock = index % blockSize;
        return new ReservedSeat(blockSection[block], blockSubsection[block], inBlock / cols + 1,
                inBlock % cols + 1, blockPrice[block]);
    }

    /** Every seat of the subsection in row and seat order; empty if the event has no such subsection. */
    List<Seat> seats(String section, int subsection) {
        int block = block(section, subsection);
        if (block < 0) {
            return List.of();
        }
        List<Seat> seats = new ArrayList<>(blockSize);
        int base = block * blockSize;
        for (int i = 0; i < blockSize; i++) {
            seats.add(new Seat(base + i + 1L, i / cols + 1, i % cols + 1, blockPrice[block], STATUSES[status[base + i]]));
        }
        return seats;
    }

    /** One character per seat of the subsection ({@link SeatMap#code}), row by row; null if it does not exist. */
    String seatCodes(String section, int subsection) {
        int block = block(section, subsection);
        if (block < 0) {
            return null;
        }
        char[] codes = new char[blockSize];
        int base = block * blockSize;
        for (int i = 0; i < blockSize; i++) {
            codes[i] = CODES[status[base + i]];
        }
        return new String(codes);
    }

    /**
     * The statistics that a copy of the counters ({@link #counts}) describes. A subsection whose counts equal
     * those in {@code previous} (any earlier snapshot of this grid, or null) shares its immutable record, so
     * a change of one subsection builds one record, not one per subsection.
     */
    EventStatistics snapshot(long eventId, long version, EventStatus eventStatus, int[] counts, LastEvent lastEvent,
                             EventStatistics previous) {
        SubsectionStatistics[] sections = new SubsectionStatistics[blockSection.length];
        List<SubsectionStatistics> before = previous == null ? null : previous.sections();
        for (int b = 0; b < sections.length; b++) {
            int remaining = counts[b * 3];
            int allocated = counts[b * 3 + 1];
            int confirmed = counts[b * 3 + 2];
            SubsectionStatistics same = before == null ? null : before.get(b);
            sections[b] = same != null && same.remaining() == remaining && same.allocated() == allocated
                    && same.confirmed() == confirmed ? same
                    : new SubsectionStatistics(blockSection[b], blockSubsection[b], blockPrice[b], blockSize,
                            remaining, allocated, confirmed);
        }
        // blockSize × blocks, not status.length: the seats' first cache line holds that length, and the lock
        // holder may be writing those seats
        return new EventStatistics(eventId, version, eventStatus, blockSize * sections.length, counts[totalsAt],
                counts[totalsAt + 1], counts[totalsAt + 2], List.of(sections), lastEvent, lastEvent.at());
    }
}
