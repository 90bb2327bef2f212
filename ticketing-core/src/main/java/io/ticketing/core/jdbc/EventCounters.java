package io.ticketing.core.jdbc;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.spi.StoreRules;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Records changes in an event's row — {@code version}, totals and subsection counts, {@code sold_out},
 * {@code lastEvent} — and returns the statistics snapshot of each change.
 *
 * <p>The event's row lock serialises every change of one event, so how long it is held bounds the
 * event's reservation rate. Seat changes are therefore recorded last, by the schema's
 * {@code record_seat_change} function (a best-available hold: by {@code reserve_best_seats}, in the
 * leading statement), sent together with the transaction's {@code COMMIT} in one round trip, so the lock
 * is never held while a client thread waits to be scheduled. That commit does not wait
 * for the WAL flush ({@code synchronous_commit = off} for this transaction only), so the lock is not held
 * through an fsync either, where one hot event would otherwise serialise on the disk. Durability is
 * restored before returning: a second, lock-free transaction commits synchronously, and its flush covers
 * the change's commit record, which precedes it in the WAL. A caller is thus told of a change only once
 * it is durable; other transactions may see it a flush earlier. All of it travels in the same round trip.
 */
final class EventCounters {
    /**
     * SQLSTATE with which {@code record_seat_change} (and {@code reserve_best_seats}, likewise for the next
     * two) refuses a change (message: the event's status).
     */
    private static final String REFUSED = "TK001";
    /** SQLSTATE with which {@code record_seat_change} reports that fewer seats moved than expected. */
    private static final String SHORT = "TK002";
    /**
     * SQLSTATE with which {@code record_seat_change} refuses a buyer more seats than the event's cap
     * (message: the buyer's seats before, detail: the cap).
     */
    private static final String OVER_LIMIT = "TK003";

    /** A condition on the event's current state under which a seat change is allowed. */
    enum Guard {
        ANY("any"),
        /** Active and available. */
        ON_SALE("on_sale"),
        /** Neither ended nor completed. */
        REFUNDABLE("refundable");

        private final String name;

        Guard(String name) {
            this.name = name;
        }
    }

    /** Builds the exception for an event that refused a change. */
    @FunctionalInterface
    interface Refusal {
        /** @param status the event's status, or null if the event does not exist */
        RuntimeException of(EventStatus status, boolean active);
    }

    /** Binds a statement's parameters from {@code first} on; returns the index after the last. */
    @FunctionalInterface
    interface Binder {
        int bind(PreparedStatement ps, int first) throws SQLException;
    }

    /** Reads the rows of the statement that moved the seats. */
    @FunctionalInterface
    interface RowsReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** What a committed seat change produced: the leading statement's rows and the new statistics (null if none). */
    record Committed<T>(T rows, EventStatistics statistics) {
    }

    private final Snapshots snapshots;
    private final String recordChangeSql;
    private final String recordedChangeSql;
    private final String confirmSql;
    private final String statusSql;

    /**
     * @param lockReservationSql reads reservation {@code ?} with its seats ({@link Rows#RESERVATION_COLUMNS})
     *                           and locks it
     */
    EventCounters(String schema, Snapshots snapshots, String lockReservationSql) {
        this.snapshots = snapshots;
        // The barrier transaction takes a transaction id so that its COMMIT writes a commit record and
        // waits for the WAL flush. If anything before it fails, the server skips the rest.
        String commit = "; COMMIT; BEGIN; SELECT pg_current_xact_id(); COMMIT";
        String select = "; SET LOCAL synchronous_commit TO off; SELECT " + Snapshots.COLUMNS + " FROM " + schema;
        recordChangeSql = select + ".record_seat_change(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + commit;
        recordedChangeSql = select + ".events WHERE id = ?" + commit;
        confirmSql = lockReservationSql + select + ".confirm_reservation(?, ?, ?)" + commit;
        statusSql = "WITH e AS (UPDATE " + schema + ".events SET version = version + 1, status = ?, "
                + "last_event_type = ?, last_event_actor = ?, last_event_seats = 0, last_event_at = ?, updated_at = ? "
                + "WHERE id = ? RETURNING *), logged AS (INSERT INTO " + schema + ".event_changes "
                + "(event_id, version, type, actor, at, seat_ids) "
                + "SELECT id, version, last_event_type, last_event_actor, last_event_at, '{}' FROM e) "
                + "SELECT " + Snapshots.COLUMNS + " FROM e";
    }

    /**
     * Runs {@code moveSql}, which moves the {@code seats} seats of buyer {@code buyerId}'s reservation
     * {@code reservationId} from {@code from} to {@code to}, records the change (the buyer's seat count and
     * the seats' {@code seat_rows} included) unless {@code moveSql} already did ({@code recorded}: a hold by
     * {@code reserve_best_seats}, which raises the same errors), and commits the caller's transaction, all in
     * one round trip; this must end the transaction. If the event is missing or fails {@code guard}, throws
     * {@code refusal}'s exception; if fewer than {@code seats} seats moved, {@code shortfall}'s; if the buyer
     * would have more seats than the event's cap, {@code LIMIT_EXCEEDED}; in each case nothing is committed
     * and the caller rolls back.
     */
    <T> Committed<T> commitSeatsMoved(Connection connection, String moveSql, Binder binder, RowsReader<T> moved,
                                      long eventId, Guard guard, String reservationId, long buyerId, int seats,
                                      SeatStatus from, SeatStatus to, boolean recorded, ChangeType type,
                                      String actor, Instant at, Refusal refusal, Supplier<RuntimeException> shortfall)
            throws SQLException {
        Binder change = recorded ? (ps, first) -> {
            int i = binder.bind(ps, first);
            ps.setLong(i++, eventId);
            return i;
        } : (ps, first) -> {
            int i = binder.bind(ps, first);
            ps.setLong(i++, eventId);
            ps.setString(i++, guard.name);
            ps.setString(i++, type.wireName());
            ps.setString(i++, actor);
            Rows.setInstant(ps, i++, at);
            ps.setString(i++, reservationId);
            ps.setInt(i++, seats);
            ps.setString(i++, from.wireName());
            ps.setString(i++, to.wireName());
            ps.setLong(i++, buyerId);
            return i;
        };
        Committed<T> committed;
        try {
            committed = commit(connection, moveSql + (recorded ? recordedChangeSql : recordChangeSql), change, moved,
                    rows -> eventId, refusal, shortfall);
        } catch (PSQLException e) {
            ServerErrorMessage server = e.getServerErrorMessage();
            if (server != null && OVER_LIMIT.equals(e.getSQLState())) {
                throw StoreRules.limitExceeded(eventId, buyerId, Integer.parseInt(server.getMessage()), seats,
                        Integer.parseInt(server.getDetail()));
            }
            throw e;
        }
        if (committed.statistics() == null) {
            throw new IllegalStateException("the seat change returned no statistics for event " + eventId);
        }
        return committed;
    }

    /**
     * Reads and locks reservation {@code reservationId} and, if it is held and its hold has not lapsed at
     * {@code at}, confirms it (seats sold, change recorded); commits — all in one round trip, which must
     * end the transaction. Returns the reservation as it was before (null if there is none) with the new
     * statistics, or null statistics if nothing changed: the caller applies {@link
     * io.ticketing.core.spi.StoreRules#mustConfirm} to the reservation, the same rule as the database's.
     * {@code at} must be whole microseconds, so that both sides compare the same instant.
     */
    Committed<Reservation> commitConfirm(Connection connection, String reservationId, String paymentReference,
                                         Instant at) throws SQLException {
        Binder binder = (ps, i) -> {
            ps.setString(i++, reservationId);
            ps.setString(i++, reservationId);
            ps.setString(i++, paymentReference);
            Rows.setInstant(ps, i++, at);
            return i;
        };
        return commit(connection, confirmSql, binder, Rows::reservation, r -> r == null ? 0 : r.eventId(),
                (status, active) -> new IllegalStateException("the event of reservation " + reservationId
                        + " does not exist"),
                () -> new IllegalStateException("not all seats of reservation " + reservationId + " were reserved"));
    }

    /**
     * Runs {@code sql} — a leading statement, {@code SET LOCAL}, a query of the event's statistics row (or no
     * row) from a function that records a seat change or from the row that the leading statement changed,
     * then the commits — and reads its results.
     */
    private <T> Committed<T> commit(Connection connection, String sql, Binder binder, RowsReader<T> lead,
                                    ToLongFunction<T> eventOf, Refusal refusal,
                                    Supplier<RuntimeException> shortfall) throws SQLException {
        T leadRows;
        Snapshots.Counts counts = null;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps, 1);
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    leadRows = lead.read(rs);
                }
            } else {
                leadRows = lead.read(null);
            }
            ps.getMoreResults(); // SET LOCAL
            ps.getMoreResults(); // the function's row
            try (ResultSet rs = ps.getResultSet()) {
                if (rs.next()) {
                    counts = Snapshots.counts(eventOf.applyAsLong(leadRows), rs);
                }
            }
        } catch (PSQLException e) {
            ServerErrorMessage server = e.getServerErrorMessage();
            if (server != null && REFUSED.equals(e.getSQLState())) {
                String status = server.getMessage();
                throw refusal.of("missing".equals(status) ? null : EventStatus.fromWire(status),
                        !"inactive".equals(server.getDetail()));
            }
            if (SHORT.equals(e.getSQLState())) {
                throw shortfall.get();
            }
            throw e;
        }
        return new Committed<>(leadRows, counts == null ? null : snapshots.statistics(connection, counts));
    }

    /** Records a seller's status change of an event whose row the caller has locked, and logs it. */
    EventStatistics statusChanged(Connection connection, long eventId, EventStatus status, String actor, Instant at)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(statusSql)) {
            ps.setString(1, status.wireName());
            ps.setString(2, ChangeType.EVENT_STATUS_CHANGED.wireName());
            ps.setString(3, actor);
            Rows.setInstant(ps, 4, at);
            Rows.setInstant(ps, 5, at);
            ps.setLong(6, eventId);
            EventStatistics statistics = snapshots.query(connection, ps, eventId);
            if (statistics == null) {
                throw new IllegalStateException("event " + eventId + " vanished while locked");
            }
            return statistics;
        }
    }

    static Array array(Connection connection, String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }
}
