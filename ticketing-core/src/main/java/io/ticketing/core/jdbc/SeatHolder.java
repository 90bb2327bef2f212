package io.ticketing.core.jdbc;

import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.spi.BestAvailable;
import io.ticketing.core.spi.ReserveCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Holds seats for a new reservation inside the caller's transaction: locks the chosen available seats,
 * marks them reserved (found again by their row address, {@code ctid}, which a lock keeps stable) and
 * inserts the reservation with its seats, in one statement. Returns the seats it
 * got, in the reservation's order; fewer than asked for means the caller must roll back.
 *
 * <p>Seats are locked in {@code seat_id} order and waited for, so two buyers asking for overlapping seats
 * never deadlock and a hold that is rolled back frees its seats for the waiter.
 *
 * <p>Best available is chosen in Java, by {@link BestAvailable} as the in-memory store does, from the seat
 * states read in the transaction, so both stores pick the same seats from the same states. Choices in one
 * subsection are made one at a time across nodes: the transaction first takes the subsection's advisory
 * lock (held to its end), and reads the seats in the next statement, which sees what the previous holder
 * committed. So two buyers never pick the same run; only an explicit hold in flight can take a chosen
 * seat, and then the caller rolls back and chooses again ({@link Hold#chosen}). The read feeds the
 * subsection's available seats in seat order (from the partial index of available seats), a page at a
 * time, to a {@link SeatChooser}, which stops at the end of the first row with a run that strands no seat:
 * full rows have no available seats and cost nothing; available seats before that row cost one index
 * entry each. The first page, in the lock's round trip, holds two rows and a bit.
 */
final class SeatHolder {
    /** How many times the caller chooses best-available seats again after an explicit hold took one. */
    static final int CHOICE_ATTEMPTS = 4;
    /** The first page of available seats is two rows and this many seats; each next page twice the last. */
    private static final int PAGE_EXTRA = 62;

    private final String schema;
    private final String explicitSql;
    private final String seatIdsSql;
    private final String firstPageSql;
    private final String nextPageSql;

    SeatHolder(String schema) {
        this.schema = schema;
        String hold = "WITH c AS (%s), "
                + "u AS (UPDATE " + schema + ".tickets t SET status = 'reserved' FROM c "
                + "WHERE t.ctid = c.tid AND t.event_id = ? AND t.status = 'available' "
                + "RETURNING c.position, t.seat_id, t.section, t.subsection, t.row_no, t.seat_no, t.price), "
                + "r AS (INSERT INTO " + schema + ".reservations "
                + "(id, event_id, buyer_id, status, total_price, expires_at, created_at, updated_at) "
                + "SELECT ?, ?, ?, 'held', coalesce(sum(price), 0), ?, ?, ? FROM u), "
                + "rs AS (INSERT INTO " + schema + ".reservation_seats "
                + "(reservation_id, position, seat_id, section, subsection, row_no, seat_no, price) "
                + "SELECT ?, position, seat_id, section, subsection, row_no, seat_no, price FROM u) "
                + "SELECT section, subsection, row_no, seat_no, price FROM u ORDER BY position";
        explicitSql = hold.formatted("SELECT t.ctid AS tid, w.position FROM " + requestedSeats(schema)
                + "WHERE t.status = 'available' ORDER BY t.seat_id FOR UPDATE OF t");
        seatIdsSql = hold.formatted("SELECT t.ctid AS tid, u.position FROM unnest(?::int[]) WITH ORDINALITY "
                + "AS u(seat_id, position) JOIN " + schema + ".tickets t ON t.event_id = ? AND t.seat_id = u.seat_id "
                + "WHERE t.status = 'available' ORDER BY t.seat_id FOR UPDATE OF t");
        // The lock, then (a new statement: a new snapshot) the first page of the subsection's available seats.
        String page = "SELECT seat_id FROM " + schema + ".tickets WHERE event_id = ? AND section = ? AND subsection = ? "
                + "AND status = 'available' AND seat_id > ? ORDER BY seat_id LIMIT ";
        firstPageSql = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0)), "
                + "(SELECT (seating_config ->> 'cols')::int FROM " + schema + ".events WHERE id = ?); "
                + page + "(SELECT 2 * (seating_config ->> 'cols')::int + " + PAGE_EXTRA + " FROM " + schema
                + ".events WHERE id = ?)";
        nextPageSql = page + "?";
    }

    /**
     * A {@code FROM} clause joining requested seats {@code w} (parameters: sections, subsections, rows and
     * seats as arrays, then the event id; {@code w.position} numbers them from 1) to their tickets {@code t},
     * found by primary key: {@code seat_id} numbers an event's seats from 1 in subsection block, row, seat
     * order. A seat that does not exist has no ticket.
     */
    static String requestedSeats(String schema) {
        return "unnest(?::text[], ?::int[], ?::int[], ?::int[]) WITH ORDINALITY "
                + "AS w(section, subsection, row_no, seat_no, position) "
                + "JOIN " + schema + ".subsection_counters c ON c.event_id = ? AND c.section = w.section "
                + "AND c.subsection = w.subsection "
                + "JOIN " + schema + ".events e ON e.id = c.event_id "
                + "JOIN " + schema + ".tickets t ON t.event_id = c.event_id AND t.seat_id = c.block_no::bigint * c.total "
                + "+ (w.row_no - 1)::bigint * (e.seating_config ->> 'cols')::int + w.seat_no "
                + "AND t.section = w.section AND t.subsection = w.subsection AND t.row_no = w.row_no "
                + "AND t.seat_no = w.seat_no ";
    }

    /**
     * A statement that holds seats for a reservation, its parameters, and how many seats it must hold;
     * {@code chosen} if best available chose them, so that if another transaction took one first the caller
     * may roll back and choose again.
     */
    record Hold(String sql, EventCounters.Binder binder, int seats, boolean chosen) {
    }

    /** Holds exactly the requested seats, waiting for seats that other transactions are changing. */
    Hold explicit(ReserveCommand.Seats c) {
        List<SeatRef> refs = c.seats();
        int n = refs.size();
        String[] sections = new String[n];
        Integer[] subsections = new Integer[n];
        Integer[] rows = new Integer[n];
        Integer[] seats = new Integer[n];
        for (int i = 0; i < n; i++) {
            SeatRef ref = refs.get(i);
            sections[i] = ref.section();
            subsections[i] = ref.subsection();
            rows[i] = ref.row();
            seats[i] = ref.seat();
        }
        return new Hold(explicitSql, (ps, i) -> {
            Connection connection = ps.getConnection();
            ps.setArray(i++, EventCounters.array(connection, "text", sections));
            ps.setArray(i++, EventCounters.array(connection, "integer", subsections));
            ps.setArray(i++, EventCounters.array(connection, "integer", rows));
            ps.setArray(i++, EventCounters.array(connection, "integer", seats));
            ps.setLong(i++, c.eventId());
            return bindHold(ps, i, c);
        }, n, false);
    }

    /**
     * Holds {@code quantity} seats of the subsection as {@link BestAvailable} ranks them, chosen from the
     * seat states committed when this transaction took the subsection's advisory lock (see the class
     * comment). With fewer available, a hold of the seats there are, which the caller reports as too few.
     */
    Hold bestAvailable(Connection connection, ReserveCommand.BestAvailable c) throws SQLException {
        int[] chosen = choose(connection, c);
        return new Hold(seatIdsSql, (ps, i) -> {
            ps.setArray(i++, EventCounters.array(ps.getConnection(), "integer", Arrays.stream(chosen).boxed().toArray()));
            ps.setLong(i++, c.eventId());
            return bindHold(ps, i, c);
        }, c.quantity(), chosen.length == c.quantity());
    }

    /**
     * Takes the subsection's lock, then feeds its available seats in seat order to a {@link SeatChooser} a
     * page at a time, until it is done or the seats run out.
     */
    private int[] choose(Connection connection, ReserveCommand.BestAvailable c) throws SQLException {
        SeatChooser chooser;
        int last;
        int limit;
        try (PreparedStatement ps = connection.prepareStatement(firstPageSql)) {
            ps.setString(1, schema + "/" + c.eventId() + "/" + c.section() + "/" + c.subsection());
            ps.setLong(2, c.eventId());
            ps.setLong(3, c.eventId());
            ps.setString(4, c.section());
            ps.setInt(5, c.subsection());
            ps.setInt(6, 0);
            ps.setLong(7, c.eventId());
            ps.execute();
            int cols;
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                cols = rs.getInt(2);
            }
            chooser = new SeatChooser(cols, c.quantity());
            limit = 2 * cols + PAGE_EXTRA;
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                last = feed(chooser, rs, limit);
            }
        }
        while (last > 0 && !chooser.done()) {
            limit *= 2;
            try (PreparedStatement ps = connection.prepareStatement(nextPageSql)) {
                ps.setLong(1, c.eventId());
                ps.setString(2, c.section());
                ps.setInt(3, c.subsection());
                ps.setInt(4, last);
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    last = feed(chooser, rs, limit);
                }
            }
        }
        return chooser.choice();
    }

    /** Feeds a page to the chooser; returns its last seat id if it was a full page of {@code limit}, else 0. */
    private static int feed(SeatChooser chooser, ResultSet rs, int limit) throws SQLException {
        int n = 0;
        int last = 0;
        while (rs.next()) {
            last = rs.getInt(1);
            chooser.add(last);
            n++;
        }
        return n == limit ? last : 0;
    }

    /** The seats a hold statement returned, in the reservation's order. */
    static List<ReservedSeat> heldSeats(ResultSet rs) throws SQLException {
        List<ReservedSeat> held = new ArrayList<>();
        while (rs.next()) {
            held.add(Rows.reservedSeat(rs));
        }
        return held;
    }

    /** Binds the parameters after the candidate seats. */
    private static int bindHold(PreparedStatement ps, int next, ReserveCommand c) throws SQLException {
        ps.setLong(next++, c.eventId());
        ps.setString(next++, c.reservationId());
        ps.setLong(next++, c.eventId());
        ps.setLong(next++, c.buyerId());
        Rows.setInstant(ps, next++, c.expiresAt());
        Rows.setInstant(ps, next++, c.now());
        Rows.setInstant(ps, next++, c.now());
        ps.setString(next++, c.reservationId());
        return next;
    }
}
