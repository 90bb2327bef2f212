package io.ticketing.core.jdbc;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReservationQuery;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * requested seats ({@code status = 'available'}), checked by row count; best available chooses them in
 * Java, ranked as in the in-memory store, under an advisory lock of the subsection (see {@code SeatHolder}).
 * The event's row — version, totals, per-subsection counts, status and last change — changes in the same
 * transaction, and statistics are read from it, never by counting seats; so does the buyer's count of
 * held + confirmed seats, against the event's cap. Seats are generated with {@code COPY}.
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
    private final EventStatements events;
    private final ReservationStatements reservations;
    private final ReservationLister lister;
    private final ChangeLog changeLog;
    private final String epoch;

    private JdbcTicketStore(Builder b, Transactions tx) {
        String s = b.schema;
        this.schema = s;
        this.tx = tx;
        Snapshots snapshots = new Snapshots(s);
        EventCounters counters = new EventCounters(s, snapshots, ReservationStatements.lockReservationSql(s));
        this.events = new EventStatements(s, tx, snapshots, counters);
        this.reservations = new ReservationStatements(s, tx, counters);
        this.lister = new ReservationLister(s, tx);
        this.changeLog = new ChangeLog(s, tx, b.changeLogSize, b.changeLogAge);
        this.epoch = changeLog.epoch();
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
        return events.createEvent(spec);
    }

    @Override
    public void deleteEvent(long eventId) {
        events.deleteEvent(eventId);
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        return events.findEvent(eventId);
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        return events.listEvents(query);
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        return events.statistics(eventId);
    }

    /** One query, whatever the number of ids. */
    @Override
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        return events.summaries(eventIds);
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        return events.seats(eventId, section, subsection);
    }

    /** One read-only repeatable-read transaction: the event's row and each subsection's range of seats. */
    @Override
    public Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
        return events.seatMaps(eventId, subsections);
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        return events.updateEvent(eventId, patch, actor, now);
    }

    // ---- reservations ----

    @Override
    public ReservationChange reserve(ReserveCommand c) {
        return reservations.reserve(c);
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        return reservations.findReservation(reservationId);
    }

    @Override
    public List<Reservation> listReservations(ReservationQuery query) {
        return lister.list(query);
    }

    @Override
    public ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        return reservations.confirm(reservationId, paymentReference, now);
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        return reservations.cancel(reservationId, now);
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        return reservations.expireHolds(now, limit);
    }

    // ---- change log ----

    /** Two reads on one connection: the event's version and seating config, then the page. */
    @Override
    public Optional<ChangePage> changes(long eventId, long since, int limit) {
        return changeLog.changes(eventId, since, limit);
    }

    /** Made by migration V9 and kept in the schema's {@code store_epoch} table; read once at start. */
    @Override
    public String epoch() {
        return epoch;
    }

    /**
     * Deletes one bounded batch ({@value ChangeLog#PRUNE_BATCH} at most) of changes past both
     * {@code changeLogSize} and {@code changeLogAge}. Forgets no reservation: this store keeps them.
     */
    @Override
    public int forgetEnded(Instant now) {
        int pruned = changeLog.prune(now);
        if (pruned > 0) {
            log.debug("Pruned {} old changes from schema {}", pruned, schema);
        }
        return 0;
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
        /** Default of {@link #changeLogSize}: {@value}. */
        public static final int DEFAULT_CHANGE_LOG_SIZE = 10_000;
        /** Default of {@link #changeLogAge}: 24 hours. */
        public static final Duration DEFAULT_CHANGE_LOG_AGE = Duration.ofHours(24);
        private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

        private final DataSource dataSource;
        private String schema = DEFAULT_SCHEMA;
        private boolean migrate = true;
        private int changeLogSize = DEFAULT_CHANGE_LOG_SIZE;
        private Duration changeLogAge = DEFAULT_CHANGE_LOG_AGE;

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
         * How many of its latest changes each event keeps at least: 1 to 100,000,000, default 10,000. A change
         * is pruned only once it is past both this and {@link #changeLogAge}.
         */
        public Builder changeLogSize(int changeLogSize) {
            this.changeLogSize = changeLogSize;
            return this;
        }

        /** How long every change is kept at least: 1 s to 366 days, default 24 hours. */
        public Builder changeLogAge(Duration changeLogAge) {
            this.changeLogAge = Objects.requireNonNull(changeLogAge, "changeLogAge");
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
            if (changeLogSize < 1 || changeLogSize > 100_000_000) {
                throw new IllegalArgumentException("changeLogSize must be between 1 and 100000000, was " + changeLogSize);
            }
            if (changeLogAge.compareTo(Duration.ofSeconds(1)) < 0 || changeLogAge.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("changeLogAge must be between PT1S and PT8784H, was " + changeLogAge);
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
                    List<Integer> missing = Migrations.missingVersions(connection, schema);
                    if (!missing.isEmpty()) {
                        throw new IllegalStateException("schema " + schema + " of " + url + " lacks the migrations "
                                + missing + " that this library needs (up to version " + Migrations.LATEST
                                + "); apply them or enable migrate");
                    }
                }
            } catch (SQLException e) {
                throw startFailure(e, url, schema);
            }
            log.info("PostgreSQL store ready: {} schema {} (version {})", url, schema, Migrations.LATEST);
            return new JdbcTicketStore(this, new Transactions(dataSource, url));
        }

        /**
         * What went wrong at start, by its cause: a database that does not exist or a refused login is
         * not "cannot reach" (retrying does not help), and an unknown host or a refused connection says so.
         */
        private static RuntimeException startFailure(SQLException e, String url, String schema) {
            String state = null;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && sql.getSQLState() != null && state == null
                        && !sql.getSQLState().startsWith("08")) {
                    state = sql.getSQLState();
                }
                if (t instanceof java.net.UnknownHostException) {
                    return TicketingException.unavailable("cannot reach PostgreSQL at " + url + ": unknown host "
                            + t.getMessage(), e);
                }
                if (t instanceof java.net.ConnectException) {
                    return TicketingException.unavailable("cannot reach PostgreSQL at " + url
                            + ": connection refused (is the server running and the port right?)", e);
                }
            }
            String reason = rootMessage(e);
            if ("3D000".equals(state)) {
                return new IllegalStateException("PostgreSQL at " + url + " has no such database: " + reason, e);
            }
            if ("28P01".equals(state) || "28000".equals(state)) {
                return new IllegalStateException("PostgreSQL at " + url + " refused the login: " + reason, e);
            }
            if (Transactions.isUnavailable(e)) {
                return TicketingException.unavailable("cannot reach PostgreSQL at " + url + ": " + reason, e);
            }
            return new IllegalStateException("cannot prepare schema " + schema + " of " + url + ": " + reason, e);
        }

        /** The message of the deepest SQL exception: the driver's, not the pool's "not available". */
        private static String rootMessage(SQLException e) {
            String message = e.getMessage();
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof SQLException && t.getMessage() != null) {
                    message = t.getMessage();
                }
            }
            return message;
        }
    }
}
