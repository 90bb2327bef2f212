package io.ticketing.core.jdbc;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SubsectionStatistics;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a change in an event's row — {@code version}, totals, {@code sold_out}, {@code lastEvent} — and
 * in its subsection counters, inside the caller's transaction, and returns the statistics snapshot of
 * that change. The row update comes first and takes the event's row lock, which serialises every change
 * of one event; the counters are written and read only afterwards, so the snapshot is exact.
 */
final class EventCounters {
    /** A condition on the event's current state under which the change is allowed. */
    enum Guard {
        ANY(""),
        ON_SALE(" AND active AND status = 'available'"),
        REFUNDABLE(" AND status NOT IN ('ended', 'completed')");

        private final String sql;

        Guard(String sql) {
            this.sql = sql;
        }
    }

    private final String[] moveSql = new String[Guard.values().length];
    private final String statusSql;
    private final String countersSql;
    private final String snapshotSql;

    EventCounters(String schema) {
        for (Guard guard : Guard.values()) {
            moveSql[guard.ordinal()] = "UPDATE " + schema + ".events SET version = version + 1, "
                    + "remaining = remaining + ?, allocated = allocated + ?, confirmed = confirmed + ?, "
                    + "status = CASE WHEN status = 'available' AND remaining + ? = 0 THEN 'sold_out' "
                    + "WHEN status = 'sold_out' AND remaining + ? > 0 THEN 'available' ELSE status END, "
                    + "last_event_type = ?, last_event_actor = ?, last_event_seats = ?, last_event_at = ?, updated_at = ? "
                    + "WHERE id = ?" + guard.sql + " RETURNING " + Rows.STATISTICS_COLUMNS;
        }
        statusSql = "UPDATE " + schema + ".events SET version = version + 1, status = ?, "
                + "last_event_type = ?, last_event_actor = ?, last_event_seats = 0, last_event_at = ?, updated_at = ? "
                + "WHERE id = ? RETURNING " + Rows.STATISTICS_COLUMNS;
        countersSql = "WITH d AS (SELECT * FROM unnest(?::text[], ?::int[], ?::int[], ?::int[], ?::int[]) "
                + "AS d(section, subsection, dr, da, dc)), "
                + "u AS (UPDATE " + schema + ".subsection_counters c SET remaining = c.remaining + d.dr, "
                + "allocated = c.allocated + d.da, confirmed = c.confirmed + d.dc FROM d "
                + "WHERE c.event_id = ? AND c.section = d.section AND c.subsection = d.subsection "
                + "RETURNING c.block_no, c.remaining, c.allocated, c.confirmed) "
                + "SELECT c.section, c.subsection, c.price, c.total AS sub_total, "
                + "coalesce(u.remaining, c.remaining) AS sub_remaining, coalesce(u.allocated, c.allocated) AS sub_allocated, "
                + "coalesce(u.confirmed, c.confirmed) AS sub_confirmed "
                + "FROM " + schema + ".subsection_counters c LEFT JOIN u ON u.block_no = c.block_no "
                + "WHERE c.event_id = ? ORDER BY c.block_no";
        snapshotSql = "SELECT section, subsection, price, total AS sub_total, remaining AS sub_remaining, "
                + "allocated AS sub_allocated, confirmed AS sub_confirmed FROM " + schema + ".subsection_counters "
                + "WHERE event_id = ? ORDER BY block_no";
    }

    /**
     * Records that {@code moves} happened, if the event exists and passes {@code guard}; returns the new
     * snapshot, or null (having changed nothing) if it does not.
     */
    EventStatistics seatsMoved(Connection connection, long eventId, Guard guard, SeatMoves moves, ChangeType type,
                               String actor, Instant at) throws SQLException {
        int n = moves.total();
        int remaining = moves.delta(SeatStatus.AVAILABLE, n);
        try (PreparedStatement ps = connection.prepareStatement(moveSql[guard.ordinal()])) {
            ps.setInt(1, remaining);
            ps.setInt(2, moves.delta(SeatStatus.RESERVED, n));
            ps.setInt(3, moves.delta(SeatStatus.SOLD, n));
            ps.setInt(4, remaining);
            ps.setInt(5, remaining);
            ps.setString(6, type.wireName());
            ps.setString(7, actor);
            ps.setInt(8, n);
            Rows.setInstant(ps, 9, at);
            Rows.setInstant(ps, 10, at);
            ps.setLong(11, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.statistics(eventId, rs, counters(connection, eventId, moves)) : null;
            }
        }
    }

    /** Records a seller's status change of an event whose row the caller has locked. */
    EventStatistics statusChanged(Connection connection, long eventId, EventStatus status, String actor, Instant at)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(statusSql)) {
            ps.setString(1, status.wireName());
            ps.setString(2, ChangeType.EVENT_STATUS_CHANGED.wireName());
            ps.setString(3, actor);
            Rows.setInstant(ps, 4, at);
            Rows.setInstant(ps, 5, at);
            ps.setLong(6, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("event " + eventId + " vanished while locked");
                }
                return Rows.statistics(eventId, rs, snapshot(connection, eventId));
            }
        }
    }

    /** Every subsection's counts, in config order. */
    List<SubsectionStatistics> snapshot(Connection connection, long eventId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(snapshotSql)) {
            ps.setLong(1, eventId);
            return subsections(ps);
        }
    }

    private List<SubsectionStatistics> counters(Connection connection, long eventId, SeatMoves moves)
            throws SQLException {
        int size = moves.perSubsection().size();
        String[] sections = new String[size];
        Integer[] subsections = new Integer[size];
        Integer[] remaining = new Integer[size];
        Integer[] allocated = new Integer[size];
        Integer[] confirmed = new Integer[size];
        int i = 0;
        for (var entry : moves.perSubsection().entrySet()) {
            int seats = entry.getValue();
            sections[i] = entry.getKey().section();
            subsections[i] = entry.getKey().subsection();
            remaining[i] = moves.delta(SeatStatus.AVAILABLE, seats);
            allocated[i] = moves.delta(SeatStatus.RESERVED, seats);
            confirmed[i] = moves.delta(SeatStatus.SOLD, seats);
            i++;
        }
        try (PreparedStatement ps = connection.prepareStatement(countersSql)) {
            ps.setArray(1, array(connection, "text", sections));
            ps.setArray(2, array(connection, "integer", subsections));
            ps.setArray(3, array(connection, "integer", remaining));
            ps.setArray(4, array(connection, "integer", allocated));
            ps.setArray(5, array(connection, "integer", confirmed));
            ps.setLong(6, eventId);
            ps.setLong(7, eventId);
            return subsections(ps);
        }
    }

    private static List<SubsectionStatistics> subsections(PreparedStatement ps) throws SQLException {
        List<SubsectionStatistics> sections = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sections.add(Rows.subsection(rs, "sub_"));
            }
        }
        return sections;
    }

    static Array array(Connection connection, String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }
}
