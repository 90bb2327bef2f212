package io.ticketing.core.memory;

import io.ticketing.core.TicketingException;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every reservation the in-memory store keeps, as rows of columns of primitive arrays in chunks of 16,384
 * rows: the collector copies a few large arrays per 16,384 reservations instead of several objects per
 * reservation. A reservation's id names its row: {@code r-}, the row as 8 hex digits and a random tag of
 * 96 bits as 24 hex digits, so finding it needs no index; an id whose tag differs is not found.
 *
 * <p>Rows are handed out 64 at a time from one of 64 stripes, chosen by the adding thread's id, so that two
 * threads adding at once rarely write into the same cache lines; a stripe outlives the threads that used
 * it, so a thread that ends leaves no rows behind. A row is written by the thread that
 * {@linkplain #add added} it, then published by the release write
 * of its status; a reader that finds it acquires the status first. The status and payment reference
 * change only with the event's lock held and are readable without it.
 *
 * <p>A row {@linkplain #forget forgotten} (with its event's lock held) is not found any more; 64 such rows
 * make a block that threads take again after a grace period, with new tags, so old ids stay unknown. A
 * reader that found a row before it was forgotten reads it unchanged for that grace period; it checks the
 * row again afterwards ({@link #find} once more) to know. At most {@code maxRows} rows are in use or
 * waiting in a stripe's block; one more is refused with {@code unavailable}.
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
    /** How many rows a stripe takes at a time: a whole number of cache lines of every column. */
    static final int BLOCK = 64;
    private static final int STRIPES = 64;
    /** The most rows a table may hold: the limit of the id's row, less a block for each stripe. */
    static final int MAX_ROWS = (MAX_CHUNKS << CHUNK_BITS) - BLOCK * STRIPES;
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
    /** Rows ever written: every row in use or free is below. */
    private final AtomicInteger rows = new AtomicInteger();
    /** Rows that are in use, in a stripe's block or forgotten but not free yet; at most {@link #maxRows}. */
    private final AtomicInteger taken = new AtomicInteger();
    private final int maxRows;
    private final long reuseGraceNanos;
    /** Blocks of rows being handed out, by the adding thread's id; each guarded by itself. */
    private final Block[] stripes = new Block[STRIPES];
    /** Blocks of forgotten rows that threads may take again. */
    private final ConcurrentLinkedQueue<int[]> freeBlocks = new ConcurrentLinkedQueue<>();
    /** Full blocks of forgotten rows in their grace period, oldest first; only the forgetting thread's. */
    private final ArrayDeque<Forgotten> graced = new ArrayDeque<>();
    /** The block being filled with forgotten rows; only the forgetting thread's. */
    private int[] forgotten = new int[BLOCK];
    private int forgottenCount;
    /** By row; set before the status becomes confirmed, kept by a refund. */
    private final Map<Integer, String> paymentReferences = new ConcurrentHashMap<>();

    /** A table of at most {@link #MAX_ROWS} rows, whose forgotten rows are taken again after 10 s. */
    ReservationTable() {
        this(MAX_ROWS, 10_000_000_000L);
    }

    /**
     * @param maxRows         the most rows in use at once, counted in whole blocks of {@value #BLOCK}
     * @param reuseGraceNanos how long a forgotten row stays as it was before a thread may take it again
     */
    ReservationTable(int maxRows, long reuseGraceNanos) {
        this.maxRows = maxRows;
        this.reuseGraceNanos = reuseGraceNanos;
        for (int k = 0; k < STRIPES; k++) {
            stripes[k] = new Block();
        }
    }

    /** A stripe's rows to hand out, and the next one. */
    private static final class Block {
        int[] rows = new int[0];
        int next;
    }

    /** A full block of forgotten rows, which threads may take from {@code freeAt} ({@link System#nanoTime}). */
    private record Forgotten(int[] rows, long freeAt) {
    }

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
        /** When the reservation ended (was confirmed, cancelled or expired), in epoch milliseconds. */
        final long[] endedMilli = new long[1 << CHUNK_BITS];
        /** The store's key of the reservation in its idempotency map, or null. */
        final Object[] idempotencyKey = new Object[1 << CHUNK_BITS];
    }

    /**
     * Stores a new held reservation of {@code seatIndexes} (grid indexes, not changed afterwards) and returns
     * its row. Called with the event's lock held, so that the hold can be listed before anyone sweeps it.
     *
     * @param idempotencyKey the store's key of this reservation in its idempotency map, or null
     * @throws TicketingException {@code unavailable} when the table holds {@code maxRows} rows
     */
    int add(EventState event, long buyerId, int[] seatIndexes, Instant createdAt, Instant expiresAt,
            Object idempotencyKey) {
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
        c.idempotencyKey[i] = idempotencyKey;
        if (seatIndexes.length == 1) {
            c.seat[i] = seatIndexes[0];
            c.seats[i] = null;
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

    /** How many characters of an id {@link #idPrefix} makes: {@code r-} and the row in 8 hex digits. */
    static final int ID_PREFIX_LENGTH = 10;

    /** The first {@value #ID_PREFIX_LENGTH} characters of the id of every reservation in {@code row}. */
    static String idPrefix(int row) {
        byte[] prefix = new byte[ID_PREFIX_LENGTH];
        prefix[0] = 'r';
        prefix[1] = '-';
        hex(row, 8, prefix, 2);
        return new String(prefix, StandardCharsets.ISO_8859_1);
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

    /** The low 32 bits of the row's tag, which change when the row is taken again. */
    int tagLow(int row) {
        return chunks[row >>> CHUNK_BITS].tagLow[row & CHUNK_MASK];
    }

    Instant createdAt(int row) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        int i = row & CHUNK_MASK;
        return Instant.ofEpochSecond(c.createdSecond[i], c.createdNano[i]);
    }

    /** When the reservation was confirmed, cancelled or expired, in epoch milliseconds; unset while held. */
    long endedMilli(int row) {
        return chunks[row >>> CHUNK_BITS].endedMilli[row & CHUNK_MASK];
    }

    /** The store's idempotency key of the row, or null. */
    Object idempotencyKey(int row) {
        return chunks[row >>> CHUNK_BITS].idempotencyKey[row & CHUNK_MASK];
    }

    /** The row no longer has an idempotency key. Called with the event's lock held. */
    void dropIdempotencyKey(int row) {
        chunks[row >>> CHUNK_BITS].idempotencyKey[row & CHUNK_MASK] = null;
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

    /**
     * Moves the reservation's seats to {@code to} and records the change ({@link EventState#move}). Called
     * with the event's lock held.
     */
    EventState.Tally moveSeats(int row, EventState event, SeatStatus to, LastEvent lastEvent) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        int[] seats = c.seats[row & CHUNK_MASK];
        return seats == null ? event.moveOne(c.seat[row & CHUNK_MASK], to, lastEvent)
                : event.move(seats, to, lastEvent);
    }

    /** The row's status; null if the row was forgotten or is not written yet. */
    ReservationStatus status(int row) {
        Chunk c = (Chunk) CHUNK.getAcquire(chunks, row >>> CHUNK_BITS);
        if (c == null) {
            return null; // a row handed out whose chunk its adder has not made yet
        }
        byte code = (byte) STATUS.getAcquire(c.status, row & CHUNK_MASK);
        return code == NONE ? null : STATUSES[code - 1];
    }

    /**
     * Ends the reservation at {@code now} as {@code status} (not held). Called with the event's lock held; a
     * refund keeps the payment reference.
     */
    void end(int row, ReservationStatus status, Instant now) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        c.endedMilli[row & CHUNK_MASK] = now.toEpochMilli();
        STATUS.setRelease(c.status, row & CHUNK_MASK, code(status));
    }

    /** Called with the event's lock held. */
    void confirm(int row, String paymentReference, Instant now) {
        if (paymentReference != null) {
            paymentReferences.put(row, paymentReference);
        }
        end(row, ReservationStatus.CONFIRMED, now);
    }

    /**
     * Forgets the row: its id is not found from now on, and after the grace period a thread may take the
     * row again. Called with the event's lock held, by one thread at a time.
     */
    void forget(int row) {
        Chunk c = chunks[row >>> CHUNK_BITS];
        c.idempotencyKey[row & CHUNK_MASK] = null;
        STATUS.setRelease(c.status, row & CHUNK_MASK, NONE);
        paymentReferences.remove(row);
        forgotten[forgottenCount++] = row;
        if (forgottenCount == BLOCK) {
            graced.add(new Forgotten(forgotten, System.nanoTime() + reuseGraceNanos));
            forgotten = new int[BLOCK];
            forgottenCount = 0;
        }
    }

    /** Frees the blocks of forgotten rows whose grace period is over. Called by the forgetting thread. */
    void freeGraced() {
        long now = System.nanoTime();
        while (!graced.isEmpty() && now - graced.peek().freeAt() >= 0) {
            freeBlocks.add(graced.poll().rows());
            taken.addAndGet(-BLOCK);
        }
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

    /** How many rows were ever written: every row is below. */
    int size() {
        return rows.get();
    }

    /**
     * How many rows are taken: the reservations the table holds, up to 63 per stripe not used yet, and
     * forgotten rows in their grace period.
     */
    int taken() {
        return taken.get();
    }

    private int nextRow() {
        Block b = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
        synchronized (b) {
            if (b.next == b.rows.length) {
                b.rows = takeBlock();
                b.next = 0;
            }
            return b.rows[b.next++];
        }
    }

    /** A free block of rows, else a new one. */
    private int[] takeBlock() {
        if (taken.addAndGet(BLOCK) > maxRows) {
            taken.addAndGet(-BLOCK);
            throw TicketingException.unavailable("the in-memory store holds its maximum of " + maxRows
                    + " reservations; ended ones are forgotten over time, try again later", null);
        }
        int[] free = freeBlocks.poll();
        if (free != null) {
            return free;
        }
        int start = rows.getAndAdd(BLOCK);
        int[] fresh = new int[BLOCK];
        for (int k = 0; k < BLOCK; k++) {
            fresh[k] = start + k;
        }
        return fresh;
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
