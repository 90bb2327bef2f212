package io.ticketing.core.jdbc;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.BestAvailable;
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
 * <p>Seats are locked in {@code seat_id} order and waited for, so two buyers asking for overlapping seats
 * never deadlock and a hold that is rolled back frees its seats for the waiter.
 *
 * <p>A best-available reservation is one call of the schema's {@code reserve_best_seats}: it chooses the
 * seats, locks them and marks them reserved, inserts the reservation with its seats, clears the held seats
 * in their {@code seat_rows} and records the seat change (the buyer's count for the cap, the event's row,
 * the change log), taking its locks in the order every seat change takes them: seats, seat rows, the
 * buyer's count, the event's row. So the caller only reads the new statistics ({@link Hold#chosen}). The
 * function marks the seats itself, after the subsection's lock: a statement's snapshot is taken before its
 * function waits for that lock, so it could not see a seat that a transaction freed meanwhile. It ranks as
 * {@link BestAvailable} does (ported to SQL over the schema's {@code seat_rows}: one row
 * per seat row with its available seats as bits and its {@link BestAvailable#rowMask}), so every store
 * picks the same seats from the same states. Choices in one subsection are made one at a time across
 * nodes: the function takes the subsection's advisory lock (held to the transaction's end) and then
 * reads, seeing what the previous holder committed. So two buyers never pick the same run; only an
 * explicit hold in flight can take a chosen seat, and then the caller rolls back and chooses again
 * ({@link Hold#chosen}). Its cost: for 1..4 seats, one entry of that quantity's index of the rows that
 * give it without stranding a seat; for more, or when no row gives it so, one index entry per row with
 * available seats before the chosen row; plus O(cols) for the chosen row. Full rows cost nothing.
 */
final class SeatHolder {
    /** How many times the caller chooses best-available seats again after an explicit hold took one. */
    static final int CHOICE_ATTEMPTS = 4;
    /** SQLSTATE with which {@code reserve_best_seats} says that the subsection has too few available seats. */
    private static final String TOO_FEW = "TK011";

    private final String schema;
    private final String explicitSql;
    private final String bestSql;

    SeatHolder(String schema) {
        this.schema = schema;
        // c locks the requested seats that are available, in seat_id order; u marks them reserved and returns
        // them with their position in the reservation.
        explicitSql = "WITH c AS (SELECT t.ctid AS tid, w.position FROM " + requestedSeats(schema)
                + "WHERE t.status = 'available' ORDER BY t.seat_id FOR UPDATE OF t), "
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
        bestSql = "SELECT held_section AS section, held_subsection AS subsection, held_row_no AS row_no, "
                + "held_seat_no AS seat_no, held_price AS price FROM " + schema
                + ".reserve_best_seats(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ORDER BY held_position";
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
     * {@code chosen} if best available chose them: then the statement has also recorded the seat change,
     * and if another transaction took a chosen seat first the caller may roll back and choose again.
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
            ps.setLong(i++, c.eventId());
            return bindHold(ps, i, c);
        }, n, false);
    }

    /**
     * Holds {@code quantity} seats of the subsection as {@link BestAvailable} ranks them, chosen from the
     * seat states committed when this transaction took the subsection's advisory lock (see the class
     * comment), and records the seat change. If the subsection has fewer available and the event is on
     * sale, the statement fails with an error for which {@link #tooFew} is true; the other refusals are
     * those of a recorded seat change ({@link EventCounters#commitSeatsMoved}).
     */
    Hold bestAvailable(ReserveCommand.BestAvailable c) {
        return new Hold(bestSql, (ps, i) -> {
            ps.setLong(i++, c.eventId());
            ps.setString(i++, c.section());
            ps.setInt(i++, c.subsection());
            ps.setInt(i++, c.quantity());
            ps.setString(i++, schema + "/" + c.eventId() + "/" + c.section() + "/" + c.subsection());
            ps.setString(i++, c.reservationId());
            ps.setLong(i++, c.buyerId());
            Rows.setInstant(ps, i++, c.expiresAt());
            Rows.setInstant(ps, i++, c.now());
            ps.setString(i++, ChangeType.TICKET_RESERVED.wireName());
            ps.setString(i++, actor(c));
            return i;
        }, c.quantity(), true);
    }

    /** The actor of a reservation's changes. */
    static String actor(ReserveCommand c) {
        return User.buyer(c.buyerId()).actor();
    }

    /** Whether a best-available hold failed because its subsection has fewer seats available than asked. */
    static boolean tooFew(SQLException e) {
        return TOO_FEW.equals(e.getSQLState());
    }

    /** The seats a hold statement returned, in the reservation's order. */
    static List<ReservedSeat> heldSeats(ResultSet rs) throws SQLException {
        List<ReservedSeat> held = new ArrayList<>();
        while (rs.next()) {
            held.add(Rows.reservedSeat(rs));
        }
        return held;
    }

    /** Binds the parameters after the held seats. */
    private static int bindHold(PreparedStatement ps, int next, ReserveCommand c) throws SQLException {
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
