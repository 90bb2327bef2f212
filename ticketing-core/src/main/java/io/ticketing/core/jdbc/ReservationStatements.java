package io.ticketing.core.jdbc;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.jdbc.EventCounters.Guard;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.StoreRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's reservation operations, each one transaction: holds seats for a new reservation (once per
 * buyer and idempotency key), reads, confirms and cancels reservations and expires lapsed holds. {@link
 * SeatHolder} takes the seats; {@link EventCounters} records every seat change in the event's row.
 */
final class ReservationStatements {
    private final Transactions tx;
    private final EventCounters counters;
    private final SeatHolder holder;
    private final String claimKeySql;
    private final String keyOwnerSql;
    private final String findReservationSql;
    private final String lockReservationSql;
    private final String lockLapsedHoldSql;
    private final String moveReservationSql;
    private final String unavailableSeatSql;
    private final String lapsedHoldsSql;

    ReservationStatements(String schema, Transactions tx, EventCounters counters) {
        String s = schema;
        this.tx = tx;
        this.counters = counters;
        this.holder = new SeatHolder(s);
        claimKeySql = "INSERT INTO " + s + ".idempotency_keys (buyer_id, key, reservation_id, created_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
        keyOwnerSql = "SELECT reservation_id FROM " + s + ".idempotency_keys WHERE buyer_id = ? AND key = ?";
        String reservation = reservationSql(s);
        findReservationSql = reservation + " ORDER BY s.position";
        lockReservationSql = lockReservationSql(s);
        lockLapsedHoldSql = reservation + " AND r.status = 'held' AND r.expires_at <= ? ORDER BY s.position "
                + "FOR UPDATE OF r SKIP LOCKED";
        moveReservationSql = "WITH r AS (UPDATE " + s + ".reservations SET status = ?, payment_reference = ?, "
                + "updated_at = ? WHERE id = ?) "
                + "UPDATE " + s + ".tickets t SET status = ? FROM " + s + ".reservation_seats rs "
                + "WHERE rs.reservation_id = ? AND t.event_id = ? AND t.seat_id = rs.seat_id AND t.status = ?";
        unavailableSeatSql = "SELECT w.section, w.subsection, w.row_no, w.seat_no FROM " + SeatHolder.requestedSeats(s)
                + "WHERE t.status <> 'available' ORDER BY w.position LIMIT 1";
        lapsedHoldsSql = "SELECT id FROM " + s + ".reservations WHERE status = 'held' AND expires_at <= ? "
                + "ORDER BY expires_at, id LIMIT ?";
    }

    /** Reads reservation {@code ?} with its seats ({@link Rows#RESERVATION_COLUMNS}) and locks it. */
    static String lockReservationSql(String schema) {
        return reservationSql(schema) + " ORDER BY s.position FOR UPDATE OF r";
    }

    /** Reads reservation {@code ?} with its seats ({@link Rows#RESERVATION_COLUMNS}), in no particular order. */
    private static String reservationSql(String schema) {
        return "SELECT " + Rows.RESERVATION_COLUMNS + " FROM " + schema + ".reservations r LEFT JOIN "
                + schema + ".reservation_seats s ON s.reservation_id = r.id WHERE r.id = ?";
    }

    ReservationChange reserve(ReserveCommand c) {
        return tx.write("reserve seats", connection -> {
            for (int attempt = 1; ; attempt++) {
                if (c.idempotencyKey() != null && !claimKey(connection, c)) {
                    return new ReservationChange(earlierReservation(connection, c), null);
                }
                SeatHolder.Hold hold = c instanceof ReserveCommand.BestAvailable best ? holder.bestAvailable(best)
                        : holder.explicit((ReserveCommand.Seats) c);
                EventCounters.Committed<List<ReservedSeat>> committed;
                try {
                    committed = counters.commitSeatsMoved(connection, hold.sql(), hold.binder(), SeatHolder::heldSeats,
                            c.eventId(), Guard.ON_SALE, c.reservationId(), c.buyerId(), hold.seats(),
                            SeatStatus.AVAILABLE, SeatStatus.RESERVED, hold.chosen(), ChangeType.TICKET_RESERVED,
                            SeatHolder.actor(c), c.now(), (status, active) -> notOnSale(c.eventId(), status, active),
                            SeatsTaken::new);
                } catch (SeatsTaken e) {
                    connection.rollback();
                    if (hold.chosen() && attempt < SeatHolder.CHOICE_ATTEMPTS) {
                        continue; // an explicit hold took a chosen seat first: choose again from the new state
                    }
                    throw seatsUnavailable(connection, c);
                } catch (SQLException e) {
                    if (!SeatHolder.tooFew(e)) {
                        throw e;
                    }
                    connection.rollback();
                    throw seatsUnavailable(connection, c);
                }
                long totalPrice = 0;
                for (ReservedSeat seat : committed.rows()) {
                    totalPrice = Math.addExact(totalPrice, seat.price()); // at most 50 × 10^9 by validation; checked all the same
                }
                return new ReservationChange(new Reservation(c.reservationId(), c.eventId(), c.buyerId(),
                        ReservationStatus.HELD, committed.rows(), totalPrice, c.expiresAt(), c.now(), null),
                        committed.statistics());
            }
        });
    }

    /** Fewer seats than requested could be held; the transaction has been rolled back. */
    private static final class SeatsTaken extends RuntimeException {
        SeatsTaken() {
            super(null, null, false, false);
        }
    }

    /** Claims the buyer's idempotency key for this reservation; false if an earlier one holds it. */
    private boolean claimKey(Connection connection, ReserveCommand c) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(claimKeySql)) {
            ps.setLong(1, c.buyerId());
            ps.setString(2, c.idempotencyKey());
            ps.setString(3, c.reservationId());
            Rows.setInstant(ps, 4, c.now());
            return ps.executeUpdate() == 1;
        }
    }

    private Reservation earlierReservation(Connection connection, ReserveCommand c) throws SQLException {
        String id;
        try (PreparedStatement ps = connection.prepareStatement(keyOwnerSql)) {
            ps.setLong(1, c.buyerId());
            ps.setString(2, c.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("idempotency key of buyer " + c.buyerId() + " vanished");
                }
                id = rs.getString(1);
            }
        }
        Reservation earlier = reservation(connection, findReservationSql, id);
        if (earlier == null) {
            throw new IllegalStateException("idempotency key of buyer " + c.buyerId() + " names no reservation");
        }
        return earlier;
    }

    private static TicketingException notOnSale(long eventId, EventStatus status, boolean active) {
        if (status == null) {
            return TicketingException.notFound("event " + eventId + " does not exist");
        }
        return TicketingException.conflict("event " + eventId + " is not on sale (status " + status.wireName()
                + (active ? "" : ", inactive") + ")");
    }

    /** The refusal of a reservation that could not hold all its seats, naming a taken seat if it asked for some. */
    private TicketingException seatsUnavailable(Connection connection, ReserveCommand c) throws SQLException {
        if (c instanceof ReserveCommand.BestAvailable best) {
            return new TicketingException(ErrorCode.SEATS_UNAVAILABLE, "fewer than " + best.quantity()
                    + " seats are available in section " + best.section() + " subsection " + best.subsection());
        }
        List<SeatRef> refs = ((ReserveCommand.Seats) c).seats();
        try (PreparedStatement ps = connection.prepareStatement(unavailableSeatSql)) {
            ps.setArray(1, EventCounters.array(connection, "text", refs.stream().map(SeatRef::section).toArray()));
            ps.setArray(2, EventCounters.array(connection, "integer", refs.stream().map(SeatRef::subsection).toArray()));
            ps.setArray(3, EventCounters.array(connection, "integer", refs.stream().map(SeatRef::row).toArray()));
            ps.setArray(4, EventCounters.array(connection, "integer", refs.stream().map(SeatRef::seat).toArray()));
            ps.setLong(5, c.eventId());
            try (ResultSet rs = ps.executeQuery()) {
                String seat = rs.next() ? "seat " + rs.getString(1) + "/" + rs.getInt(2) + " row " + rs.getInt(3)
                        + " seat " + rs.getInt(4) : "a requested seat";
                return new TicketingException(ErrorCode.SEATS_UNAVAILABLE, seat + " is not available");
            }
        }
    }

    Optional<Reservation> findReservation(String reservationId) {
        return Optional.ofNullable(tx.read("find reservation",
                connection -> reservation(connection, findReservationSql, reservationId)));
    }

    ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS); // as PostgreSQL stores it, so both sides compare the same
        return tx.write("confirm reservation", connection -> {
            EventCounters.Committed<Reservation> committed = counters.commitConfirm(connection, reservationId,
                    paymentReference, at);
            Reservation r = committed.rows();
            if (r == null) {
                throw TicketingException.notFound("reservation " + reservationId + " does not exist");
            }
            if (StoreRules.mustConfirm(r, at) != (committed.statistics() != null)) {
                throw new IllegalStateException("the database and the store disagree on confirming " + reservationId);
            }
            return committed.statistics() == null ? new ReservationChange(r, null) : new ReservationChange(
                    r.withStatus(ReservationStatus.CONFIRMED, paymentReference), committed.statistics());
        });
    }

    ReservationChange cancel(String reservationId, Instant now) {
        return tx.write("cancel reservation", connection -> {
            Reservation r = lockReservation(connection, reservationId);
            SeatStatus seatsAre = switch (r.status()) {
                case CANCELLED -> throw TicketingException.conflict("reservation " + r.id() + " is already cancelled");
                case EXPIRED -> throw TicketingException.conflict("reservation " + r.id()
                        + " has expired; its seats are released");
                case CONFIRMED -> SeatStatus.SOLD;
                case HELD -> SeatStatus.RESERVED;
            };
            Guard guard = seatsAre == SeatStatus.SOLD ? Guard.REFUNDABLE : Guard.ANY;
            return commitMove(connection, r.withStatus(ReservationStatus.CANCELLED, r.paymentReference()),
                    seatsAre, SeatStatus.AVAILABLE, guard, ChangeType.TICKET_RELEASED, User.buyer(r.buyerId()).actor(),
                    now);
        });
    }

    List<ReservationChange> expireHolds(Instant now, int limit) {
        List<String> lapsed = tx.read("find lapsed holds", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(lapsedHoldsSql)) {
                Rows.setInstant(ps, 1, now);
                ps.setInt(2, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
        List<ReservationChange> expired = new ArrayList<>(lapsed.size());
        for (String id : lapsed) {
            ReservationChange change = tx.write("expire hold", connection -> {
                Reservation r = lockLapsedHold(connection, id, now);
                return r == null ? null : commitMove(connection, r.withStatus(ReservationStatus.EXPIRED, r.paymentReference()),
                        SeatStatus.RESERVED, SeatStatus.AVAILABLE, Guard.ANY, ChangeType.TICKET_EXPIRED,
                        LastEvent.SYSTEM, now);
            });
            if (change != null) {
                expired.add(change);
            }
        }
        return expired;
    }

    /**
     * Moves a locked reservation's seats, records the change and commits. If the event refuses it under
     * {@code guard} (only a refund of an event that is over), throws {@code CONFLICT}.
     */
    private ReservationChange commitMove(Connection connection, Reservation after, SeatStatus from, SeatStatus to,
                                         Guard guard, ChangeType type, String actor, Instant now) throws SQLException {
        EventCounters.Binder move = (ps, i) -> {
            ps.setString(i++, after.status().wireName());
            ps.setString(i++, after.paymentReference());
            Rows.setInstant(ps, i++, now);
            ps.setString(i++, after.id());
            ps.setString(i++, to.wireName());
            ps.setString(i++, after.id());
            ps.setLong(i++, after.eventId());
            ps.setString(i++, from.wireName());
            return i;
        };
        EventCounters.Committed<Void> committed = counters.commitSeatsMoved(connection, moveReservationSql, move,
                rs -> null, after.eventId(), guard, after.id(), after.buyerId(), after.seats().size(), from, to, false,
                type, actor, now,
                (status, active) -> status == null
                        ? new IllegalStateException("event " + after.eventId() + " of reservation " + after.id()
                                + " does not exist")
                        : TicketingException.conflict("event " + after.eventId() + " is " + status.wireName()
                                + "; refunds are closed"),
                () -> new IllegalStateException("reservation " + after.id() + " owns " + after.seats().size()
                        + " seats but not all of them were " + from.wireName()));
        return new ReservationChange(after, committed.statistics());
    }

    private Reservation lockReservation(Connection connection, String reservationId) throws SQLException {
        Reservation r = reservation(connection, lockReservationSql, reservationId);
        if (r == null) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        return r;
    }

    private static Reservation reservation(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return Rows.reservation(rs);
            }
        }
    }

    /** The hold, locked, if it is still held, lapsed by {@code now} and not being expired by another node. */
    private Reservation lockLapsedHold(Connection connection, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(lockLapsedHoldSql)) {
            ps.setString(1, id);
            Rows.setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return Rows.reservation(rs);
            }
        }
    }
}
