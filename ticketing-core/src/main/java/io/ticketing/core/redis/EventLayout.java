package io.ticketing.core.redis;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionStatistics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seat layout of one stored event, and how the store's script replies about it decode into models.
 * Subsections are numbered blocks 0…n-1 in config order; a seat is its block and its index in the block (row
 * by row). {@code uid} tells this event from another that got the same id after the data was lost. Immutable.
 */
final class EventLayout {
    private static final SeatStatus[] SEAT_STATUSES = {SeatStatus.AVAILABLE, SeatStatus.RESERVED, SeatStatus.SOLD};

    final String uid;
    final SeatingConfig config;
    private final int cols;
    private final int blockSize;
    private final String[] blockSection;
    private final int[] blockSubsection;
    private final long[] blockPrice;
    /** Section name → {first block, subsections}. */
    private final Map<String, int[]> sectionBlocks = new HashMap<>();

    EventLayout(String uid, SeatingConfig config) {
        this.uid = uid;
        this.config = config;
        this.cols = config.cols();
        this.blockSize = config.rows() * config.cols();
        int blocks = 0;
        for (Section s : config.sections()) {
            blocks += s.subsections();
        }
        blockSection = new String[blocks];
        blockSubsection = new int[blocks];
        blockPrice = new long[blocks];
        int b = 0;
        for (Section s : config.sections()) {
            sectionBlocks.put(s.name(), new int[] {b, s.subsections()});
            for (int sub = 1; sub <= s.subsections(); sub++, b++) {
                blockSection[b] = s.name();
                blockSubsection[b] = sub;
                blockPrice[b] = s.price();
            }
        }
    }

    int blocks() {
        return blockSection.length;
    }

    int blockSize() {
        return blockSize;
    }

    /**
     * A change log entry of read-changes.lua, {@code version|type|at|to|k:pos,k:pos|actor} ({@code to} and the
     * seats empty when no seat moved).
     */
    LoggedChange loggedChange(String entry) {
        String[] f = entry.split("\\|", 6);
        List<SeatChange> seats = new ArrayList<>();
        if (!f[4].isEmpty()) {
            SeatStatus to = SEAT_STATUSES["ars".indexOf(f[3].charAt(0))];
            for (String seat : f[4].split(",")) {
                int colon = seat.indexOf(':');
                int block = Integer.parseInt(seat, 0, colon, 10);
                int pos = Integer.parseInt(seat, colon + 1, seat.length(), 10);
                seats.add(new SeatChange(blockSection[block], blockSubsection[block], pos / cols + 1, pos % cols + 1, to));
            }
        }
        return new LoggedChange(Long.parseLong(f[0]), ChangeType.fromWire(f[1]), f[5], RedisTime.instant(f[2]), seats);
    }

    /** The subsection's block, or -1 if the event has none such. */
    int block(String section, int subsection) {
        int[] blocks = sectionBlocks.get(section);
        return blocks == null || subsection < 1 || subsection > blocks[1] ? -1 : blocks[0] + subsection - 1;
    }

    /** Every seat of a block from its bytes ({@code a}, {@code r}, {@code s}); seat ids are unique in the event. */
    List<Seat> seats(int block, String bytes) {
        List<Seat> seats = new ArrayList<>(bytes.length());
        long firstId = (long) block * blockSize + 1;
        for (int i = 0; i < bytes.length(); i++) {
            seats.add(new Seat(firstId + i, i / cols + 1, i % cols + 1, blockPrice[block], seatStatus(bytes.charAt(i))));
        }
        return seats;
    }

    private static SeatStatus seatStatus(char c) {
        return SEAT_STATUSES[c == 'a' ? 0 : c == 'r' ? 1 : 2];
    }

    /** Digits of one counter in the event's counters string (event-lib.lua's {@code W}). */
    private static final int COUNTER_DIGITS = 10;
    /** Counters per block in that string: available, reserved, sold, and the search hint. */
    private static final int BLOCK_COUNTERS = 4;

    /**
     * Statistics from a script's {@code stats()} reply: {@code [[uid, status, version, lt, la, ls, lat, rem, alc,
     * cnf], counters]} where {@code counters} holds each block's available, reserved and sold seats and search
     * hint, each {@value #COUNTER_DIGITS} decimal digits.
     */
    EventStatistics statistics(long eventId, List<?> reply) {
        List<?> e = (List<?>) reply.get(0);
        String counters = (String) reply.get(1);
        List<SubsectionStatistics> sections = new ArrayList<>(blockSection.length);
        for (int b = 0; b < blockSection.length; b++) {
            int at = b * BLOCK_COUNTERS * COUNTER_DIGITS;
            sections.add(new SubsectionStatistics(blockSection[b], blockSubsection[b], blockPrice[b], blockSize,
                    counter(counters, at), counter(counters, at + COUNTER_DIGITS),
                    counter(counters, at + 2 * COUNTER_DIGITS)));
        }
        return statistics(eventId, e, blockSize * blockSection.length, sections);
    }

    private static int counter(String counters, int at) {
        return Integer.parseInt(counters, at, at + COUNTER_DIGITS, 10);
    }

    /**
     * Statistics without subsections from a script's scalar fields {@code [uid, status, version, lt, la, ls, lat,
     * rem, alc, cnf, total]}; needs no layout.
     */
    static EventStatistics summary(long eventId, List<?> e) {
        return statistics(eventId, e, Integer.parseInt((String) e.get(10)), null);
    }

    private static EventStatistics statistics(long eventId, List<?> e, int total, List<SubsectionStatistics> sections) {
        LastEvent last = new LastEvent(ChangeType.fromWire((String) e.get(3)), (String) e.get(4),
                Integer.parseInt((String) e.get(5)), RedisTime.instant((String) e.get(6)));
        return new EventStatistics(eventId, Long.parseLong((String) e.get(2)), EventStatus.fromWire((String) e.get(1)),
                total, Integer.parseInt((String) e.get(7)), Integer.parseInt((String) e.get(8)),
                Integer.parseInt((String) e.get(9)), sections, last, last.at());
    }

    /** A reservation from a script's {@code reservation()} reply: {@code [id, buyer, status, seats, exp, created, pay, uid]}. */
    Reservation reservation(long eventId, List<?> r) {
        String list = (String) r.get(3);
        List<ReservedSeat> seats = new ArrayList<>();
        long total = 0;
        int start = 0;
        while (start < list.length()) {
            int colon = list.indexOf(':', start);
            int comma = list.indexOf(',', colon);
            int end = comma < 0 ? list.length() : comma;
            int block = Integer.parseInt(list, start, colon, 10);
            int index = Integer.parseInt(list, colon + 1, end, 10);
            seats.add(new ReservedSeat(blockSection[block], blockSubsection[block], index / cols + 1, index % cols + 1,
                    blockPrice[block]));
            total += blockPrice[block];
            start = end + 1;
        }
        return new Reservation((String) r.get(0), eventId, Long.parseLong((String) r.get(1)),
                ReservationStatus.fromWire((String) r.get(2)), seats, total, RedisTime.instant((String) r.get(4)),
                RedisTime.instant((String) r.get(5)), (String) r.get(6));
    }
}
