package io.ticketing.core.jdbc;

import io.ticketing.core.internal.BoundedCache;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SubsectionStatistics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an event's statistics from their one-row form, {@link #COLUMNS} of its {@code events} row: {@link
 * Rows#STATISTICS_COLUMNS} and the subsections' counts as arrays in block order.
 * The rest of a subsection — section, number, price, total — never changes, so it is read once per event
 * and kept for a bounded number of events.
 */
final class Snapshots {
    private static final int MAX_EVENTS = 1024;
    /** The columns of {@code events} that the statistics are read from. */
    static final String COLUMNS = Rows.STATISTICS_COLUMNS + ", sub_remaining, sub_allocated, sub_confirmed";

    /** The part of a subsection that never changes. */
    private record Subsection(String section, int subsection, long price, int total) {
    }

    /** An event's counts as read, before its subsections are named. */
    record Counts(EventStatistics totals, Integer[] remaining, Integer[] allocated, Integer[] confirmed) {
    }

    private final String layoutSql;
    private final BoundedCache<Long, List<Subsection>> layouts = new BoundedCache<>(MAX_EVENTS);

    Snapshots(String schema) {
        layoutSql = "SELECT section, subsection, price, total FROM " + schema + ".subsection_counters "
                + "WHERE event_id = ? ORDER BY block_no";
    }

    /** The counts of the current row. */
    static Counts counts(long eventId, ResultSet rs) throws SQLException {
        return new Counts(Rows.statistics(eventId, rs, List.of()), ints(rs, "sub_remaining"),
                ints(rs, "sub_allocated"), ints(rs, "sub_confirmed"));
    }

    /** Runs {@code ps}, a query of statistics in one-row form; null if it returns no row. */
    EventStatistics query(Connection connection, PreparedStatement ps, long eventId) throws SQLException {
        Counts counts;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            counts = counts(eventId, rs);
        }
        return statistics(connection, counts);
    }

    /** The statistics of {@code counts}, reading the event's subsections on {@code connection} the first time. */
    EventStatistics statistics(Connection connection, Counts counts) throws SQLException {
        long eventId = counts.totals().eventId();
        List<Subsection> layout = layouts.get(eventId);
        if (layout == null) {
            layout = layout(connection, eventId);
            layouts.put(eventId, layout);
        }
        if (layout.size() != counts.remaining().length) {
            throw new IllegalStateException("event " + eventId + " has " + layout.size() + " subsections but "
                    + counts.remaining().length + " counters");
        }
        List<SubsectionStatistics> sections = new ArrayList<>(layout.size());
        for (int i = 0; i < layout.size(); i++) {
            Subsection s = layout.get(i);
            sections.add(new SubsectionStatistics(s.section(), s.subsection(), s.price(), s.total(),
                    counts.remaining()[i], counts.allocated()[i], counts.confirmed()[i]));
        }
        return Rows.statistics(counts.totals(), sections);
    }

    /** Drops what is kept of a deleted event. */
    void forget(long eventId) {
        layouts.remove(eventId);
    }

    private List<Subsection> layout(Connection connection, long eventId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(layoutSql)) {
            ps.setLong(1, eventId);
            List<Subsection> layout = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    layout.add(new Subsection(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getInt(4)));
                }
            }
            return List.copyOf(layout);
        }
    }

    private static Integer[] ints(ResultSet rs, String column) throws SQLException {
        java.sql.Array array = rs.getArray(column);
        return array == null ? new Integer[0] : (Integer[]) array.getArray();
    }
}
