package io.ticketing.core.jdbc;

import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.spi.ReserveCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds seats for a new reservation inside the caller's transaction: locks the chosen available seats,
 * marks them reserved (found again by their row address, {@code ctid}, which a lock keeps stable) and
 * inserts the reservation with its seats, in one statement. Returns the seats it
 * got, in the reservation's order; fewer than asked for means the caller must roll back.
 *
 * <p>Explicit seats are locked in {@code seat_id} order and waited for, so two buyers asking for
 * overlapping seats never deadlock and a hold that is rolled back frees its seats for the waiter.
 * Best available skips seats locked by transactions in flight ({@code SKIP LOCKED}), so concurrent buyers
 * of one subsection spread over different seats instead of queueing on the same ones.
 */
final class SeatHolder {
    /** How many runs of adjacent seats best available tries to lock before taking any seats. */
    private static final int RUN_ATTEMPTS = 4;

    private final String explicitSql;
    private final String firstAvailableSql;
    private final String lockedSql;
    private final String findRunSql;
    private final String lockRunSql;

    SeatHolder(String schema) {
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
        firstAvailableSql = hold.formatted("SELECT tid, row_number() OVER (ORDER BY seat_id) AS position FROM ("
                + "SELECT ctid AS tid, seat_id FROM " + schema + ".tickets "
                + "WHERE event_id = ? AND section = ? AND subsection = ? AND status = 'available' "
                + "ORDER BY seat_id LIMIT ? FOR UPDATE SKIP LOCKED) f");
        lockedSql = hold.formatted("SELECT tid, position FROM unnest(?::text[]::tid[]) WITH ORDINALITY AS l(tid, position)");
        // In seat order, the available seat q-1 places further on is q-1 seats further in the same row
        // exactly when the q seats between are all available: the start of a run.
        findRunSql = "SELECT s FROM (SELECT seat_id AS s, row_no AS r, lead(seat_id, ?) OVER w AS e, "
                + "lead(row_no, ?) OVER w AS er FROM " + schema + ".tickets "
                + "WHERE event_id = ? AND section = ? AND subsection = ? AND status = 'available' AND seat_id >= ? "
                + "WINDOW w AS (ORDER BY seat_id)) x WHERE e = s + ? AND er = r ORDER BY s LIMIT 1";
        // Every seat lookup names the whole key of the index it may use, so no plan scans a whole event.
        lockRunSql = "SELECT ctid FROM " + schema + ".tickets WHERE event_id = ? AND section = ? AND subsection = ? "
                + "AND seat_id BETWEEN ? AND ? AND status = 'available' ORDER BY seat_id FOR UPDATE SKIP LOCKED";
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

    /** A statement that holds seats for a reservation, its parameters, and how many seats it must hold. */
    record Hold(String sql, EventCounters.Binder binder, int seats) {
    }

    /** Holds exactly the requested seats, waiting for seats that other transactions are changing. */
    Hold explicit(ReserveCommand c) {
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
        }, n);
    }

    /**
     * Holds {@code quantity} seats of the subsection: the first run of adjacent seats in one row that no
     * other transaction is taking (locked now, in the caller's transaction), else the first available seats
     * that none is taking.
     */
    Hold bestAvailable(Connection connection, ReserveCommand c) throws SQLException {
        List<String> run = c.quantity() > 1 ? lockRun(connection, c) : null;
        if (run != null) {
            String[] tids = run.toArray(String[]::new);
            return new Hold(lockedSql, (ps, i) -> {
                ps.setArray(i++, EventCounters.array(ps.getConnection(), "text", tids));
                return bindHold(ps, i, c);
            }, c.quantity());
        }
        return new Hold(firstAvailableSql, (ps, i) -> {
            ps.setLong(i++, c.eventId());
            ps.setString(i++, c.section());
            ps.setInt(i++, c.subsection());
            ps.setInt(i++, c.quantity());
            return bindHold(ps, i, c);
        }, c.quantity());
    }

    /** The seats a hold statement returned, in the reservation's order. */
    static List<ReservedSeat> heldSeats(ResultSet rs) throws SQLException {
        List<ReservedSeat> held = new ArrayList<>();
        while (rs.next()) {
            held.add(Rows.reservedSeat(rs));
        }
        return held;
    }

    /**
     * Locks a run of {@code quantity} adjacent available seats in one row and returns their row addresses
     * ({@code ctid}, stable while locked), in seat order; null if it finds none to lock.
     */
    private List<String> lockRun(Connection connection, ReserveCommand c) throws SQLException {
        int q = c.quantity();
        int from = 1;
        for (int attempt = 0; attempt < RUN_ATTEMPTS; attempt++) {
            int start;
            try (PreparedStatement ps = connection.prepareStatement(findRunSql)) {
                ps.setInt(1, q - 1);
                ps.setInt(2, q - 1);
                ps.setLong(3, c.eventId());
                ps.setString(4, c.section());
                ps.setInt(5, c.subsection());
                ps.setInt(6, from);
                ps.setInt(7, q - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    start = rs.getInt(1);
                }
            }
            List<String> locked = new ArrayList<>(q);
            try (PreparedStatement ps = connection.prepareStatement(lockRunSql)) {
                ps.setLong(1, c.eventId());
                ps.setString(2, c.section());
                ps.setInt(3, c.subsection());
                ps.setInt(4, start);
                ps.setInt(5, start + q - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        locked.add(rs.getString(1));
                    }
                }
            }
            if (locked.size() == q) {
                return locked;
            }
            from = start + 1; // another transaction is taking part of this run
        }
        return null;
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
