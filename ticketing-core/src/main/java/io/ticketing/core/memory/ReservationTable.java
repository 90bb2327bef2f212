package io.ticketing.core.memory;

import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every reservation the in-memory store made, as rows of columns of primitive arrays in chunks of 16,384
 * rows: the collector copies a few large arrays per 16,384 reservations instead of several objects per
 * reservation. A reservation's id names its row: {@code r-}, the row as 8 hex digits and a random tag of
 * 96 bits as 24 hex digits, so finding it needs no index; an id whose tag differs is not found.
 *
 * <p>A thread takes rows 64 at a time, so that two threads adding at once do not write into the same cache
 * lines. A row is written by the thread that {@linkplain #add added} it, then published by the release write
 * of its status; a reader that finds it acquires the status first. The status and payment reference
 * change only with the event's lock held and are readable without it.
 */
final class ReservationTable {
    private static final VarHandle CHUNK = MethodHandles.arrayElementVarHandle(Chunk[].class);
    private static final VarHandle STATUS = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final ReservationStatus[] STATUSES = ReservationStatus.values();
    /** The status of a row not written yet, or removed. The others are a status's ordinal + 1. */
    private static final byte NONE = 0;
    private static final int CHUNK_BITS = 14;
    private static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;
    /** 2^28 rows: the row fits in the id's 8 hex digits with room to spare. */
    private static final int MAX_CHUNKS = 1 << 14;
    /** How many rows a thread takes at a time: a whole number of cache lines of every column. */
    private static final int BLOCK = 64;
    private static final int ID_LENGTH = 2 + 8 + 24;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The value of each lower-case hex digit, -1 for every other character below 128. */
    private static final byte[] HEX_VALUES = new byte[128];

    static {
        Arrays.fill(HEX_VALUES, (byte) -1);
        for (int d = 0; d < 16; d++) {
            HEX_VALUES[HEX_DIGITS[d]] = (byte) d;
        }
    }

    /** Never replaced, so that a reader can reach the chunk of every row. */
    private final Chunk[] chunks = new Chunk[MAX_CHUNKS];
    /** Rows taken by threads so far. */
    private final AtomicInteger rows = new AtomicInteger();
    /** This thread's next row and the end of its block of rows. */
    private final ThreadLocal<int[]> block = ThreadLocal.withInitial(() -> new int[2]);
    /** By row; set before the status becomes confirmed, kept by a refund. */
    private final Map<Integer, String> paymentReferences = new ConcurrentHashMap<>();

    /** The columns of 16,384 rows. */
    private static final class Chunk {
        final EventState[] event = new EventState[1 << CHUNK_BITS];
        final long[] buyerId = new long[1 << CHUNK_BITS];
        final long[] tagHigh = new long[1 << CHUNK_BITS];
        final int[] tagLow = new int[1 << CHUNK_BITS];
        final long[] createdSecond = new long[1 << CHUNK_BITS];
        final int[] createdNano = new int[1 << CHUNK_BITS];
        final long[] expiresSecond = new long[1 << CHUNK_BITS];
        final int[] expiresNano = new int[1 << CHUNK_BITS];
        /** The seat of a one-seat reservation; unused when {@link #seats} is set. */
        final int[] seat = new int[1 << CHUNK_BITS];
        /** The seats of a reservation of more than one, else null. */
        final int[][] seats = new int[1 << CHUNK_BITS][];
        final byte[] status = new byte[1 << CHUNK_BITS];
    }

    /**
     * Stores a new held reservation of {@code seatIndexes} (grid indexes, not changed afterwards) and returns
     * its row. Called with the event's lock held, so that the hold can be listed before anyone sweeps it.
     */
    int add(EventState event, long buyerId, int[] seatIndexes, Instant createdAt, Instant expiresAt) {
        int row = nextRow();
        Chunk c = chunk(row);
        int i = row & CHUNK_MASK;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        c.event[i] = event;
        c.buyerId[i] = buyerId;
        c.tagHigh[i] = random.nextLong();
        c.tagLow[i] = random.nextInt();
        c.createdSecond[i] = createdAt.getEpochSecond();
        c.createdNano[i] = createdAt.getNano();
        c.expiresSecond[i] = expiresAt.getEpochSecond();
        c.expiresNano[i] = expiresAt.getNano();
        if (seatIndexes.length == 1) {
            c.seat[i] = seatIndexes[0];
        } else {
            c.seats[i] = seatIndexes;
        }
        STATUS.setRelease(c.status, i, code(ReservationStatus.HELD));
        return row;
    }

    /** The row of the reservation with this id, or -1 for an unknown or malformed id. */
    int find(String id) {
        if (id.length() != ID_LENGTH || id.charAt(0) != 'r' || id.charAt(1) != '-') {
            return -1;
        }
        long row = parseHex(id, 2, 10);
        long high = parseHex(id, 10, 18);
        long middle = parseHex(id, 18, 26);
        long tagLow = parseHex(id, 26, 34);
        if ((row | high | middle | tagLow) < 0 || row >>> CHUNK_BITS >= MAX_CHUNKS) {
            return -1; // a character that is not a lower-case hex digit, or a row beyond the limit
        }
        long tagHigh = high << 32 | middle;
        Chunk c = (Chunk) CHUNK.getAcquire(chunks, (int) (row >>> CHUNK_BITS));
        int i = (int) row & CHUNK_MASK;
        if (c == null || (byte) STATUS.getAcquire(c.status, i) == NONE || c.tagHigh[i] != tagHigh
                || c.tagLow[i] != (int) tagLow || c.event[i] == null) {
            return -1;
        }
        return (int) row;
    }

    /** The id of a row. */
    String id(int row) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        int i = row & CHUNK_MASK;
        byte[] id = new byte[ID_LENGTH];
        id[0] = 'r';
        id[1] = '-';
        hex(row, 8, id, 2);
        hex(c.tagHigh[i], 16, id, 10);
        hex(c.tagLow[i], 8, id, 26);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    EventState event(int row) {
        return chunks[row >>> CHUNK_BITS].event[row & CHUNK_MASK];
    }

    long buyerId(int row) {
        return chunks[row >>> CHUNK_BITS].buyerId[row & CHUNK_MASK];
    }

    Instant expiresAt(int row) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        int i = row & CHUNK_MASK;
        return Instant.ofEpochSecond(c.expiresSecond[i], c.expiresNano[i]);
    }

    /** How many seats the reservation holds (or held). */
    int seatCount(int row) {
        int[] seats = chunks[row >>> CHUNK_BITS].seats[row & CHUNK_MASK];
        return seats == null ? 1 : seats.length;
    }

    /** Moves the reservation's seats to {@code to}. Called with the event's lock held. */
    void moveSeats(int row, EventState event, SeatStatus to) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        int[] seats = c.seats[row & CHUNK_MASK];
        if (seats == null) {
            event.moveSeat(c.seat[row & CHUNK_MASK], to);
        } else {
            event.moveSeats(seats, to);
        }
    }

    ReservationStatus status(int row) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        return STATUSES[(byte) STATUS.getAcquire(c.status, row & CHUNK_MASK) - 1];
    }

    /** Called with the event's lock held; a refund keeps the payment reference. */
    void setStatus(int row, ReservationStatus status) {
        STATUS.setRelease(chunks[row >>> CHUNK_BITS].status, row & CHUNK_MASK, code(status));
    }

    /** Called with the event's lock held. */
    void confirm(int row, String paymentReference) {
        if (paymentReference != null) {
            paymentReferences.put(row, paymentReference);
        }
        setStatus(row, ReservationStatus.CONFIRMED);
    }

    /** The reservation as it is now. */
    Reservation view(int row) {
        return view(row, id(row), status(row));
    }

    /** The reservation as it was in {@code status}, which it has or had; {@code id} is its id. */
    Reservation view(int row, String id, ReservationStatus status) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        int i = row & CHUNK_MASK;
        EventState event = c.event[i];
        int[] seats = c.seats[i];
        List<ReservedSeat> reserved;
        long total;
        if (seats == null) {
            ReservedSeat seat = event.grid.reservedSeat(c.seat[i]);
            reserved = List.of(seat);
            total = seat.price();
        } else {
            ReservedSeat[] all = new ReservedSeat[seats.length];
            total = 0;
            for (int k = 0; k < all.length; k++) {
                all[k] = event.grid.reservedSeat(seats[k]);
                total = Math.addExact(total, all[k].price()); // at most 50 × 10^9 by validation; checked all the same
            }
            reserved = List.of(all);
        }
        return new Reservation(id, event.id(), c.buyerId[i], status, reserved, total,
                Instant.ofEpochSecond(c.expiresSecond[i], c.expiresNano[i]),
                Instant.ofEpochSecond(c.createdSecond[i], c.createdNano[i]),
                status == ReservationStatus.HELD ? null : paymentReferences.get(row));
    }

    /** Forgets the event's reservations, in O(all reservations); for undoing an event's creation. */
    void removeAll(EventState event) {
        int size = rows.get();
        for (int row = 0; row < size; row++) {
            Chunk c = chunks[row >>> CHUNK_BITS];
            int i = row & CHUNK_MASK;
            if (c != null && c.event[i] == event) {
                STATUS.setRelease(c.status, i, NONE);
                c.event[i] = null;
                paymentReferences.remove(row);
            }
        }
    }

    /** How many rows threads took: the reservations added, and up to 63 per thread not used yet. */
    int size() {
        return rows.get();
    }

    private int nextRow() {
        int[] b = block.get();
        if (b[0] == b[1]) {
            int start = rows.getAndAdd(BLOCK);
            if (start > (MAX_CHUNKS << CHUNK_BITS) - BLOCK || start < 0) {
                rows.getAndAdd(-BLOCK);
                throw new IllegalStateException("the in-memory store holds " + start + " reservations, its limit");
            }
            b[0] = start;
            b[1] = start + BLOCK;
        }
        return b[0]++;
    }

    /** The chunk of a new row, created by whichever adder needs it first. */
    private Chunk chunk(int row) {
        int k = row >>> CHUNK_BITS;
        Chunk c = (Chunk) CHUNK.getAcquire(chunks, k);
        if (c == null) {
            Chunk fresh = new Chunk();
            c = (Chunk) CHUNK.compareAndExchange(chunks, k, null, fresh);
            if (c == null) {
                c = fresh;
            }
        }
        return c;
    }

    private static byte code(ReservationStatus status) {
        return (byte) (status.ordinal() + 1);
    }

    private static void hex(long bits, int digits, byte[] into, int at) {
        for (int k = digits - 1; k >= 0; k--, bits >>>= 4) {
            into[at + k] = HEX_DIGITS[(int) bits & 0xf];
        }
    }

    /**
     * The lower-case hex digits {@code from..to}, at most 8, as a long; negative if one of the characters is
     * not such a digit.
     */
    private static long parseHex(String s, int from, int to) {
        long value = 0;
        for (int k = from; k < to; k++) {
            char ch = s.charAt(k);
            value = value << 4 | (ch < 128 ? HEX_VALUES[ch] : -1);
        }
        return value;
    }
}
