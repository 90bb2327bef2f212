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
 * seat, and then the caller rolls back and chooses again ({@link Hold#chosen}). The read finds the row in
 * one pass over the subsection's available seats in seat order (the partial index of available seats):
 * full rows are never read, and the pass stops at the end of the first run that qualifies.
 */
final class SeatHolder {
    /** How many times the caller chooses best-available seats again after an explicit hold took one. */
    static final int CHOICE_ATTEMPTS = 4;

    private final String schema;
    private final String explicitSql;
    private final String seatIdsSql;
    private final String findRowSql;
    private final String separateSeatsSql;

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
        // Runs of available seats from their ends: a seat starts a run unless the available seat before it in
        // seat order is its neighbour in the same row, and ends one likewise; the end that follows a start
        // in that order closes its run. The first run of at least ? seats that strands none if ? (length ? or
        // at least ? + 2) names the row, whose available seats come back as offsets from its first seat.
        String cols = "(SELECT (seating_config ->> 'cols')::int FROM " + schema + ".events WHERE id = ?)";
        findRowSql = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0)); "
                + "WITH a AS (SELECT seat_id, row_no, seat_no, lag(seat_id) OVER w AS prev_id, lag(row_no) OVER w AS prev_row, "
                + "lead(seat_id) OVER w AS next_id, lead(row_no) OVER w AS next_row FROM " + schema + ".tickets "
                + "WHERE event_id = ? AND section = ? AND subsection = ? AND status = 'available' "
                + "WINDOW w AS (ORDER BY seat_id)), "
                + "b AS (SELECT seat_id, row_no, seat_no, prev_id IS DISTINCT FROM seat_id - 1 OR prev_row <> row_no AS starts, "
                + "next_id IS DISTINCT FROM seat_id + 1 OR next_row <> row_no AS ends FROM a), "
                + "r AS (SELECT seat_id, seat_no, starts, CASE WHEN ends THEN 1 "
                + "ELSE lead(seat_id) OVER (ORDER BY seat_id) - seat_id + 1 END AS length FROM b WHERE starts OR ends), "
                + "f AS (SELECT seat_id - seat_no + 1 AS first_id FROM r WHERE starts AND length >= ? "
                + "AND (NOT ? OR length = ? OR length >= ? + 2) ORDER BY seat_id LIMIT 1) "
                + "SELECT f.first_id, c.cols, (SELECT array_agg(t.seat_id - f.first_id) FROM " + schema + ".tickets t "
                + "WHERE t.event_id = ? AND t.section = ? AND t.subsection = ? AND t.status = 'available' "
                + "AND t.seat_id BETWEEN f.first_id AND f.first_id + c.cols - 1) FROM f, " + cols + " c(cols)";
        // The available seats of the front rows that have at least ? of them (? + cols - 1 seats at most).
        separateSeatsSql = "SELECT " + cols + ", seat_id, seat_no FROM " + schema + ".tickets "
                + "WHERE event_id = ? AND section = ? AND subsection = ? AND status = 'available' ORDER BY seat_id "
                + "LIMIT ? + " + cols;
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
        }, n, false);
    }

    /**
     * Holds {@code quantity} seats of the subsection as {@link BestAvailable} ranks them, chosen from the
     * seat states committed when this transaction took the subsection's advisory lock (see the class
     * comment). With fewer available, a hold of the seats there are, which the caller reports as too few.
     */
    Hold bestAvailable(Connection connection, ReserveCommand c) throws SQLException {
        int q = c.quantity();
        int[] seatIds = run(connection, c, true);
        if (seatIds == null) {
            seatIds = run(connection, c, false);
        }
        if (seatIds == null) {
            seatIds = separateSeats(connection, c);
        }
        int[] chosen = seatIds;
        return new Hold(seatIdsSql, (ps, i) -> {
            ps.setArray(i++, EventCounters.array(ps.getConnection(), "integer",
                    Arrays.stream(chosen).boxed().toArray()));
            ps.setLong(i++, c.eventId());
            return bindHold(ps, i, c);
        }, q, chosen.length == q);
    }

    /**
     * The seat ids of the best run of {@code quantity} in the front row that has one which strands no seat
     * (if {@code clean}) or any such run; null if there is none. The first call takes the subsection's lock.
     */
    private int[] run(Connection connection, ReserveCommand c, boolean clean) throws SQLException {
        int q = c.quantity();
        try (PreparedStatement ps = connection.prepareStatement(findRowSql)) {
            int i = 1;
            ps.setString(i++, schema + "/" + c.eventId() + "/" + c.section() + "/" + c.subsection());
            ps.setLong(i++, c.eventId());
            ps.setString(i++, c.section());
            ps.setInt(i++, c.subsection());
            ps.setInt(i++, q);
            ps.setBoolean(i++, clean);
            ps.setInt(i++, q);
            ps.setInt(i++, q);
            ps.setLong(i++, c.eventId());
            ps.setString(i++, c.section());
            ps.setInt(i++, c.subsection());
            ps.setLong(i, c.eventId());
            ps.execute(); // the advisory lock
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                if (!rs.next()) {
                    return null;
                }
                int firstId = rs.getInt(1);
                byte[] row = takenRow(rs.getInt(2));
                for (Integer offset : (Integer[]) rs.getArray(3).getArray()) {
                    row[offset] = 0;
                }
                int start = BestAvailable.bestRun(row, 0, row.length, q);
                int[] ids = new int[q];
                for (int k = 0; k < q; k++) {
                    ids[k] = firstId + start + k;
                }
                return ids;
            }
        }
    }

    /**
     * Up to {@code quantity} available seats of the front rows that have any, each row's nearest its middle
     * first, when no row has a run of {@code quantity}.
     */
    private int[] separateSeats(Connection connection, ReserveCommand c) throws SQLException {
        int q = c.quantity();
        int[] picked = new int[q];
        int n = 0;
        try (PreparedStatement ps = connection.prepareStatement(separateSeatsSql)) {
            ps.setLong(1, c.eventId());
            ps.setLong(2, c.eventId());
            ps.setString(3, c.section());
            ps.setInt(4, c.subsection());
            ps.setInt(5, q);
            ps.setLong(6, c.eventId());
            try (ResultSet rs = ps.executeQuery()) {
                byte[] row = null;
                int rowFirstId = 0;
                while (n < q && rs.next()) {
                    int firstId = rs.getInt(2) - rs.getInt(3) + 1;
                    if (row != null && firstId != rowFirstId) {
                        n = pickNearMiddle(row, rowFirstId, picked, n, q);
                        row = null;
                    }
                    if (row == null) {
                        row = takenRow(rs.getInt(1));
                        rowFirstId = firstId;
                    }
                    row[rs.getInt(3) - 1] = 0;
                }
                if (row != null) {
                    n = pickNearMiddle(row, rowFirstId, picked, n, q);
                }
            }
        }
        return Arrays.copyOf(picked, n);
    }

    /** Adds the row's available seats nearest its middle to {@code picked} as seat ids; returns the new count. */
    private static int pickNearMiddle(byte[] row, int rowFirstId, int[] picked, int n, int quantity) {
        int before = n;
        n = BestAvailable.nearMiddle(row, 0, row.length, picked, n, quantity);
        for (int k = before; k < n; k++) {
            picked[k] += rowFirstId;
        }
        return n;
    }

    /** A row of {@code cols} taken seats, in {@link BestAvailable}'s form. */
    private static byte[] takenRow(int cols) {
        byte[] row = new byte[cols];
        Arrays.fill(row, (byte) 1);
        return row;
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
