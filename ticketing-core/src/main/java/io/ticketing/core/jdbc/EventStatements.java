package io.ticketing.core.jdbc;

import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMap;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.StoreRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's event operations, each one transaction: creates an event with its subsections and seats,
 * reads events, their statistics and seats, changes an event and deletes it with all it owns.
 */
final class EventStatements {
    private final String schema;
    private final Transactions tx;
    private final Snapshots snapshots;
    private final EventCounters counters;
    private final SeatLoader loader;
    private final String insertEventSql;
    private final String insertSubsectionsSql;
    private final String insertSeatRowsSql;
    private final String findEventSql;
    private final String statisticsSql;
    private final String summariesSql;
    private final String seatsSql;
    private final String seatCodesSql;
    private final String lockEventSql;
    private final String setActiveAndRulesSql;
    private final String[] deleteEventSql;

    EventStatements(String schema, Transactions tx, Snapshots snapshots, EventCounters counters) {
        String s = schema;
        this.schema = s;
        this.tx = tx;
        this.snapshots = snapshots;
        this.counters = counters;
        this.loader = new SeatLoader(s);
        insertEventSql = "WITH e AS (INSERT INTO " + s + ".events (name, description, venue_name, seller_id, status, active, "
                + "seating_config, total_tickets, remaining, allocated, confirmed, sub_remaining, sub_allocated, "
                + "sub_confirmed, version, last_event_type, last_event_actor, last_event_seats, last_event_at, created_at, "
                + "updated_at, max_seats_per_buyer) VALUES (?, ?, ?, ?, ?, true, ?::jsonb, ?, ?, 0, 0, "
                + "array_fill(?, ARRAY[?]), array_fill(0, ARRAY[?]), array_fill(0, ARRAY[?]), 1, ?, ?, 0, ?, ?, ?, ?) "
                + "RETURNING id, version, last_event_type, last_event_actor, last_event_at), "
                + "logged AS (INSERT INTO " + s + ".event_changes (event_id, version, type, actor, at, seat_ids) "
                + "SELECT id, version, last_event_type, last_event_actor, last_event_at, '{}' FROM e) "
                + "SELECT id FROM e";
        insertSubsectionsSql = "INSERT INTO " + s + ".subsection_counters (event_id, block_no, section, subsection, price, "
                + "total) SELECT ?, b - 1, section, subsection, price, ? "
                + "FROM unnest(?::text[], ?::int[], ?::bigint[]) WITH ORDINALITY AS u(section, subsection, price, b)";
        // Every row of every subsection, all seats available (see the V11 migration).
        insertSeatRowsSql = "INSERT INTO " + s + ".seat_rows (event_id, section, subsection, row_no, first_seat_id, free, "
                + "mask, open, fits) SELECT c.event_id, c.section, c.subsection, r, c.block_no * c.total + (r - 1) * ? + 1, "
                + "repeat('1', ?)::varbit, m, true, ((m >> 1) & 15)::smallint FROM (SELECT " + s
                + ".row_mask(repeat('1', ?)::varbit) AS m) AS x, " + s + ".subsection_counters c, "
                + "generate_series(1, ?) AS r WHERE c.event_id = ?";
        findEventSql = "SELECT " + Rows.EVENT_COLUMNS + " FROM " + s + ".events WHERE id = ?";
        statisticsSql = "SELECT " + Snapshots.COLUMNS + " FROM " + s + ".events WHERE id = ?";
        summariesSql = "SELECT id, " + Rows.STATISTICS_COLUMNS + " FROM " + s + ".events WHERE id = ANY (?)";
        // A subsection's seats are one range of seat_id, in row and seat order.
        seatsSql = "SELECT t.seat_id, t.row_no, t.seat_no, t.price, t.status FROM " + s + ".subsection_counters c "
                + "JOIN " + s + ".tickets t ON t.event_id = c.event_id "
                + "AND t.seat_id BETWEEN c.block_no * c.total + 1 AND (c.block_no + 1) * c.total "
                + "WHERE c.event_id = ? AND c.section = ? AND c.subsection = ? ORDER BY t.seat_id";
        seatCodesSql = "SELECT t.status FROM " + s + ".subsection_counters c JOIN " + s + ".tickets t "
                + "ON t.event_id = c.event_id AND t.seat_id BETWEEN c.block_no * c.total + 1 AND (c.block_no + 1) * c.total "
                + "WHERE c.event_id = ? AND c.section = ? AND c.subsection = ? ORDER BY t.seat_id";
        lockEventSql = findEventSql + " FOR NO KEY UPDATE";
        setActiveAndRulesSql = "UPDATE " + s + ".events SET active = ?, max_seats_per_buyer = ?, updated_at = ? "
                + "WHERE id = ?";
        deleteEventSql = new String[] {
                "DELETE FROM " + s + ".reservation_seats rs USING " + s + ".reservations r "
                        + "WHERE rs.reservation_id = r.id AND r.event_id = ?",
                "DELETE FROM " + s + ".reservations WHERE event_id = ?",
                "DELETE FROM " + s + ".buyer_seats WHERE event_id = ?",
                "DELETE FROM " + s + ".tickets WHERE event_id = ?",
                "DELETE FROM " + s + ".seat_rows WHERE event_id = ?",
                "DELETE FROM " + s + ".subsection_counters WHERE event_id = ?",
                "DELETE FROM " + s + ".event_changes WHERE event_id = ?",
                "DELETE FROM " + s + ".events WHERE id = ?"};
    }

    Event createEvent(NewEvent spec) {
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
                ps.setString(14, User.seller(spec.sellerId()).actor());
                Rows.setInstant(ps, 15, spec.createdAt());
                Rows.setInstant(ps, 16, spec.createdAt());
                Rows.setInstant(ps, 17, spec.createdAt());
                ps.setObject(18, d.rules().maxSeatsPerBuyer(), java.sql.Types.INTEGER);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            insertSubsections(connection, id, config, perSubsection);
            loader.load(connection, id, config);
            return new Event(id, d.name(), d.description(), d.venueName(), spec.sellerId(), d.status(), true, config,
                    spec.createdAt(), d.rules());
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
        try (PreparedStatement ps = connection.prepareStatement(insertSeatRowsSql)) {
            ps.setInt(1, config.cols());
            ps.setInt(2, config.cols());
            ps.setInt(3, config.cols());
            ps.setInt(4, config.rows());
            ps.setLong(5, eventId);
            ps.executeUpdate();
        }
    }

    void deleteEvent(long eventId) {
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

    Optional<Event> findEvent(long eventId) {
        return Optional.ofNullable(tx.read("find event", connection -> event(connection, findEventSql, eventId)));
    }

    List<Event> listEvents(EventQuery query) {
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

    Optional<EventStatistics> statistics(long eventId) {
        return Optional.ofNullable(tx.read("read statistics", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(statisticsSql)) {
                ps.setLong(1, eventId);
                return snapshots.query(connection, ps, eventId);
            }
        }));
    }

    Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        return tx.read("read statistics", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(summariesSql)) {
                ps.setArray(1, EventCounters.array(connection, "bigint", eventIds.toArray()));
                Map<Long, EventStatistics> summaries = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        summaries.put(id, Rows.statistics(id, rs, null));
                    }
                }
                return summaries;
            }
        });
    }

    List<Seat> seats(long eventId, String section, int subsection) {
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

    /**
     * The event's statistics and the subsections' seats, in one snapshot (one read-only repeatable-read
     * transaction): the event's row, then one statement over each subsection's key range.
     */
    Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
        return Optional.ofNullable(tx.snapshot("read seat maps", connection -> {
            Event event = event(connection, findEventSql, eventId);
            EventStatistics statistics;
            try (PreparedStatement ps = connection.prepareStatement(statisticsSql)) {
                ps.setLong(1, eventId);
                statistics = snapshots.query(connection, ps, eventId);
            }
            if (event == null || statistics == null) {
                return null;
            }
            int rows = event.seatingConfig().rows();
            int cols = event.seatingConfig().cols();
            List<SeatMap> maps = new ArrayList<>(subsections.size());
            try (PreparedStatement ps = connection.prepareStatement(seatCodesSql)) {
                for (SubsectionRef s : subsections) {
                    ps.setLong(1, eventId);
                    ps.setString(2, s.section());
                    ps.setInt(3, s.subsection());
                    StringBuilder codes = new StringBuilder(rows * cols);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            codes.append(SeatMap.code(Rows.seatStatus(rs.getString(1))));
                        }
                    }
                    if (codes.isEmpty()) {
                        return null;
                    }
                    maps.add(new SeatMap(eventId, statistics.version(), s.section(), s.subsection(), rows, cols,
                            codes.toString()));
                }
            }
            return new SeatMaps(statistics, maps);
        }));
    }

    EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        return tx.write("update event", connection -> {
            Event before = lockEvent(connection, eventId);
            if (before == null) {
                throw TicketingException.notFound("event " + eventId + " does not exist");
            }
            Event after = StoreRules.applyPatch(before, patch);
            if (after.active() != before.active() || !after.rules().equals(before.rules())) {
                try (PreparedStatement ps = connection.prepareStatement(setActiveAndRulesSql)) {
                    ps.setBoolean(1, after.active());
                    ps.setObject(2, after.rules().maxSeatsPerBuyer(), java.sql.Types.INTEGER);
                    Rows.setInstant(ps, 3, now);
                    ps.setLong(4, eventId);
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
        return event(connection, lockEventSql, eventId);
    }

    /** The event that {@code sql} reads (of {@link Rows#EVENT_COLUMNS}, by id), or null. */
    private static Event event(Connection connection, String sql, long eventId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.event(rs) : null;
            }
        }
    }
}
