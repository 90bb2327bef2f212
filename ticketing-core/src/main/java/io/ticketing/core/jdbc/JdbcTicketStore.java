package io.ticketing.core.jdbc;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.jdbc.EventCounters.Guard;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TicketStore} on PostgreSQL 13+, through any {@link DataSource} that hands out connections of
 * the PostgreSQL JDBC driver (a HikariCP pool in production). Several application nodes may share one
 * database: row locks decide every seat, so a seat is never sold twice.
 *
 * <p>Every operation is one short transaction. Seats are taken with a conditional update of exactly the
 * requested seats ({@code status = 'available'}), checked by row count; best available skips seats that
 * concurrent transactions are taking ({@code FOR UPDATE SKIP LOCKED}). The event's row — version,
 * totals, per-subsection counts, status and last change — changes in the same transaction, and
 * statistics are read from it, never by counting seats. Seats are generated with {@code COPY}.
 *
 * <p>A database that cannot be reached makes operations fail with {@link ErrorCode#UNAVAILABLE} (having
 * changed nothing); they succeed again as soon as the data source hands out working connections. How
 * fast a failure is reported is the data source's setting (HikariCP: {@code connectionTimeout}).
 *
 * <pre>{@code
 * JdbcTicketStore store = JdbcTicketStore.builder(hikariDataSource).schema("ticketing").build();
 * Ticketing ticketing = Ticketing.builder().store(store).build();
 * }</pre>
 */
public final class JdbcTicketStore implements TicketStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcTicketStore.class);

    private final String schema;
    private final Transactions tx;
    private final Snapshots snapshots;
    private final EventCounters counters;
    private final SeatHolder holder;
    private final SeatLoader loader;
    private final String insertEventSql;
    private final String insertSubsectionsSql;
    private final String findEventSql;
    private final String statisticsSql;
    private final String seatsSql;
    private final String lockEventSql;
    private final String setActiveSql;
    private final String claimKeySql;
    private final String keyOwnerSql;
    private final String findReservationSql;
    private final String lockReservationSql;
    private final String lockLapsedHoldSql;
    private final String moveReservationSql;
    private final String unavailableSeatSql;
    private final String lapsedHoldsSql;
    private final String[] deleteEventSql;

    private JdbcTicketStore(Builder b, Transactions tx) {
        String s = b.schema;
        this.schema = s;
        this.tx = tx;
        this.snapshots = new Snapshots(s);
        this.holder = new SeatHolder(s);
        this.loader = new SeatLoader(s);
        insertEventSql = "INSERT INTO " + s + ".events (name, description, venue_name, seller_id, status, active, "
                + "seating_config, total_tickets, remaining, allocated, confirmed, sub_remaining, sub_allocated, "
                + "sub_confirmed, version, last_event_type, last_event_actor, last_event_seats, last_event_at, created_at, "
                + "updated_at) VALUES (?, ?, ?, ?, ?, true, ?::jsonb, ?, ?, 0, 0, array_fill(?, ARRAY[?]), "
                + "array_fill(0, ARRAY[?]), array_fill(0, ARRAY[?]), 1, ?, ?, 0, ?, ?, ?) RETURNING id";
        insertSubsectionsSql = "INSERT INTO " + s + ".subsection_counters (event_id, block_no, section, subsection, price, "
                + "total) SELECT ?, b - 1, section, subsection, price, ? "
                + "FROM unnest(?::text[], ?::int[], ?::bigint[]) WITH ORDINALITY AS u(section, subsection, price, b)";
        findEventSql = "SELECT " + Rows.EVENT_COLUMNS + " FROM " + s + ".events WHERE id = ?";
        statisticsSql = "SELECT " + Snapshots.COLUMNS + " FROM " + s + ".events WHERE id = ?";
        // A subsection's seats are one range of seat_id, in row and seat order.
        seatsSql = "SELECT t.seat_id, t.row_no, t.seat_no, t.price, t.status FROM " + s + ".subsection_counters c "
                + "JOIN " + s + ".tickets t ON t.event_id = c.event_id "
                + "AND t.seat_id BETWEEN c.block_no * c.total + 1 AND (c.block_no + 1) * c.total "
                + "WHERE c.event_id = ? AND c.section = ? AND c.subsection = ? ORDER BY t.seat_id";
        lockEventSql = findEventSql + " FOR NO KEY UPDATE";
        setActiveSql = "UPDATE " + s + ".events SET active = ?, updated_at = ? WHERE id = ?";
        claimKeySql = "INSERT INTO " + s + ".idempotency_keys (buyer_id, key, reservation_id, created_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
        keyOwnerSql = "SELECT reservation_id FROM " + s + ".idempotency_keys WHERE buyer_id = ? AND key = ?";
        String reservation = "SELECT " + Rows.RESERVATION_COLUMNS + " FROM " + s + ".reservations r LEFT JOIN "
                + s + ".reservation_seats s ON s.reservation_id = r.id WHERE r.id = ?";
        findReservationSql = reservation + " ORDER BY s.position";
        lockReservationSql = reservation + " ORDER BY s.position FOR UPDATE OF r";
        this.counters = new EventCounters(s, snapshots, lockReservationSql);
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
        deleteEventSql = new String[] {
                "DELETE FROM " + s + ".reservation_seats rs USING " + s + ".reservations r "
                        + "WHERE rs.reservation_id = r.id AND r.event_id = ?",
                "DELETE FROM " + s + ".reservations WHERE event_id = ?",
                "DELETE FROM " + s + ".tickets WHERE event_id = ?",
                "DELETE FROM " + s + ".subsection_counters WHERE event_id = ?",
                "DELETE FROM " + s + ".events WHERE id = ?"};
    }

    /** Starts configuring a store on {@code dataSource}, which stays the host's to close. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The schema that holds this store's tables. */
    public String schema() {
        return schema;
    }

    // ---- events ----

    @Override
    public Event createEvent(NewEvent spec) {
        var d = spec.draft();
        SeatingConfig config = d.seatingConfig();
        int total = Math.toIntExact(config.totalTickets());
        int perSubsection = config.rows() * config.cols();
        int blocks = config.sections().stream().mapToInt(Section::subsections).sum();
        return tx.write("create event", connection -> {
            long id;
            try (PreparedStatement ps = connection.prepareStatement(insertEventSql)) {
                ps.setString(1, d.name());
                ps.setString(2, d.description());
                ps.setString(3, d.venueName());
                ps.setLong(4, spec.sellerId());
                ps.setString(5, d.status().wireName());
                ps.setString(6, Rows.json(config));
                ps.setInt(7, total);
                ps.setInt(8, total);
                ps.setInt(9, perSubsection);
                ps.setInt(10, blocks);
                ps.setInt(11, blocks);
                ps.setInt(12, blocks);
                ps.setString(13, ChangeType.EVENT_CREATED.wireName());
                ps.setString(14, "seller:" + spec.sellerId());
                Rows.setInstant(ps, 15, spec.createdAt());
                Rows.setInstant(ps, 16, spec.createdAt());
                Rows.setInstant(ps, 17, spec.createdAt());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            insertSubsections(connection, id, config, perSubsection);
            loader.load(connection, id, config);
            return new Event(id, d.name(), d.description(), d.venueName(), spec.sellerId(), d.status(), true, config,
                    spec.createdAt());
        });
    }

    private void insertSubsections(Connection connection, long eventId, SeatingConfig config, int perSubsection)
            throws SQLException {
        List<String> sections = new ArrayList<>();
        List<Integer> subsections = new ArrayList<>();
        List<Long> prices = new ArrayList<>();
        for (Section section : config.sections()) {
            for (int sub = 1; sub <= section.subsections(); sub++) {
                sections.add(section.name());
                subsections.add(sub);
                prices.add(section.price());
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(insertSubsectionsSql)) {
            ps.setLong(1, eventId);
            ps.setInt(2, perSubsection);
            ps.setArray(3, EventCounters.array(connection, "text", sections.toArray()));
            ps.setArray(4, EventCounters.array(connection, "integer", subsections.toArray()));
            ps.setArray(5, EventCounters.array(connection, "bigint", prices.toArray()));
            ps.executeUpdate();
        }
    }

    @Override
    public void deleteEvent(long eventId) {
        tx.write("delete event", connection -> {
            if (lockEvent(connection, eventId) == null) {
                return null;
            }
            for (String sql : deleteEventSql) {
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    ps.setLong(1, eventId);
                    ps.executeUpdate();
                }
            }
            snapshots.forget(eventId);
            return null;
        });
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        return Optional.ofNullable(tx.read("find event", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(findEventSql)) {
                ps.setLong(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Rows.event(rs) : null;
                }
            }
        }));
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        String sql = "SELECT " + Rows.EVENT_COLUMNS + " FROM " + schema + ".events WHERE id < ?"
                + (query.sellerId() != null ? " AND seller_id = ?" : "")
                + (query.publicOnly() ? " AND active AND status = 'available'" : "")
                + " ORDER BY id DESC LIMIT ?";
        return tx.read("list events", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, query.beforeId());
                if (query.sellerId() != null) {
                    ps.setLong(i++, query.sellerId());
                }
                ps.setInt(i, query.limit());
                List<Event> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(Rows.event(rs));
                    }
                }
                return events;
            }
        });
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        return Optional.ofNullable(tx.read("read statistics", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(statisticsSql)) {
                ps.setLong(1, eventId);
                return snapshots.query(connection, ps, eventId);
            }
        }));
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        return tx.read("list seats", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(seatsSql)) {
                ps.setLong(1, eventId);
                ps.setString(2, section);
                ps.setInt(3, subsection);
                List<Seat> seats = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seats.add(new Seat(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getLong(4),
                                Rows.seatStatus(rs.getString(5))));
                    }
                }
                return seats;
            }
        });
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        return tx.write("update event", connection -> {
            Event before = lockEvent(connection, eventId);
            if (before == null) {
                throw TicketingException.notFound("event " + eventId + " does not exist");
            }
            Event after = TicketStore.applyPatch(before, patch);
            if (after.active() != before.active()) {
                try (PreparedStatement ps = connection.prepareStatement(setActiveSql)) {
                    ps.setBoolean(1, after.active());
                    Rows.setInstant(ps, 2, now);
                    ps.setLong(3, eventId);
                    ps.executeUpdate();
                }
            }
            EventStatistics statistics = after.status() != before.status()
                    ? counters.statusChanged(connection, eventId, after.status(), actor, now)
                    : null;
            return new EventChange(after, statistics);
        });
    }

    private Event lockEvent(Connection connection, long eventId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(lockEventSql)) {
            ps.setLong(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.event(rs) : null;
            }
        }
    }

    // ---- reservations ----

    @Override
    public ReservationChange reserve(ReserveCommand c) {
        return tx.write("reserve seats", connection -> {
            if (c.idempotencyKey() != null && !claimKey(connection, c)) {
                return new ReservationChange(earlierReservation(connection, c), null);
            }
            SeatHolder.Hold hold = c.isBestAvailable() ? holder.bestAvailable(connection, c) : holder.explicit(c);
            EventCounters.Committed<List<ReservedSeat>> committed;
            try {
                committed = counters.commitSeatsMoved(connection, hold.sql(), hold.binder(), SeatHolder::heldSeats,
                        c.eventId(), Guard.ON_SALE, c.reservationId(), hold.seats(), SeatStatus.AVAILABLE,
                        SeatStatus.RESERVED, ChangeType.TICKET_RESERVED, "buyer:" + c.buyerId(), c.now(),
                        (status, active) -> notOnSale(c.eventId(), status, active), SeatsTaken::new);
            } catch (SeatsTaken e) {
                connection.rollback();
                throw seatsUnavailable(connection, c);
            }
            long totalPrice = 0;
            for (ReservedSeat seat : committed.rows()) {
                totalPrice += seat.price();
            }
            return new ReservationChange(new Reservation(c.reservationId(), c.eventId(), c.buyerId(),
                    ReservationStatus.HELD, committed.rows(), totalPrice, c.expiresAt(), c.now(), null),
                    committed.statistics());
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
        if (c.isBestAvailable()) {
            return new TicketingException(ErrorCode.SEATS_UNAVAILABLE, "fewer than " + c.quantity()
                    + " seats are available in section " + c.section() + " subsection " + c.subsection());
        }
        List<SeatRef> refs = c.seats();
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

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        return Optional.ofNullable(tx.read("find reservation",
                connection -> reservation(connection, findReservationSql, reservationId)));
    }

    @Override
    public ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS); // as PostgreSQL stores it, so both sides compare the same
        return tx.write("confirm reservation", connection -> {
            EventCounters.Committed<Reservation> committed = counters.commitConfirm(connection, reservationId,
                    paymentReference, at);
            Reservation r = committed.rows();
            if (r == null) {
                throw TicketingException.notFound("reservation " + reservationId + " does not exist");
            }
            if (TicketStore.mustConfirm(r, at) != (committed.statistics() != null)) {
                throw new IllegalStateException("the database and the store disagree on confirming " + reservationId);
            }
            return committed.statistics() == null ? new ReservationChange(r, null) : new ReservationChange(
                    r.withStatus(ReservationStatus.CONFIRMED, paymentReference), committed.statistics());
        });
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
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
                    seatsAre, SeatStatus.AVAILABLE, guard, ChangeType.TICKET_RELEASED, "buyer:" + r.buyerId(), now);
        });
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
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
                rs -> null, after.eventId(), guard, after.id(), after.seats().size(), from, to, type, actor, now,
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

    // ---- health ----

    /** Borrows a connection and checks it answers within a second; waits at most the pool's connection timeout. */
    @Override
    public boolean isHealthy() {
        return tx.probe();
    }

    /** Nothing to release: the data source belongs to the host. */
    @Override
    public void close() {
        log.debug("PostgreSQL store on schema {} closed", schema);
    }

    @Override
    public String toString() {
        return "JdbcTicketStore[schema=" + schema + "]";
    }

    /**
     * Settings of a {@link JdbcTicketStore}, each with a default that works; {@link #build()} checks them
     * once, prepares the schema and checks the database answers.
     */
    public static final class Builder {
        /** Default schema: {@value}. */
        public static final String DEFAULT_SCHEMA = "ticketing";
        private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

        private final DataSource dataSource;
        private String schema = DEFAULT_SCHEMA;
        private boolean migrate = true;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The PostgreSQL schema of the store's tables, created if missing: lower-case letters, digits and
         * {@code _}, not starting with a digit, at most 63 characters. Default {@value #DEFAULT_SCHEMA}.
         */
        public Builder schema(String schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * Whether {@link #build()} applies the store's migrations (default true). With false, the schema
         * must already be at the version this library needs, else {@code build()} fails.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting that is invalid
         * @throws TicketingException       {@code UNAVAILABLE}, naming the database URL, if it cannot be reached
         * @throws IllegalStateException    if the connections are not PostgreSQL's driver, or the schema is
         *                                  older than this library needs and migrations are off
         */
        public JdbcTicketStore build() {
            if (!IDENTIFIER.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be 1 to 63 lower-case letters, digits or _, "
                        + "not starting with a digit, was '" + schema + "'");
            }
            String url = DataSourceDescription.of(dataSource);
            try (Connection connection = dataSource.getConnection()) {
                if (!connection.isWrapperFor(PGConnection.class)) {
                    throw new IllegalStateException("JdbcTicketStore needs connections of the PostgreSQL JDBC driver "
                            + "(org.postgresql), got " + connection.getClass().getName());
                }
                if (migrate) {
                    Migrations.migrate(connection, schema);
                } else {
                    int version = Migrations.currentVersion(connection, schema);
                    if (version < Migrations.LATEST) {
                        throw new IllegalStateException("schema " + schema + " of " + url + " is at version " + version
                                + " but this library needs version " + Migrations.LATEST
                                + "; apply the migrations or enable migrate");
                    }
                }
            } catch (SQLException e) {
                if (Transactions.isUnavailable(e)) {
                    throw TicketingException.unavailable("cannot reach PostgreSQL at " + url + ": " + e.getMessage(), e);
                }
                throw new IllegalStateException("cannot prepare schema " + schema + " of " + url + ": "
                        + e.getMessage(), e);
            }
            log.info("PostgreSQL store ready: {} schema {} (version {})", url, schema, Migrations.LATEST);
            return new JdbcTicketStore(this, new Transactions(dataSource, url));
        }
    }
}
