package io.ticketing.core.jdbc;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code event_changes} table (appended to by every change, see migration V9), prunes it, and
 * reads the schema's epoch. A change is kept while it is among the last {@code size} of its event or younger
 * than {@code age}; pruning deletes at most {@link #PRUNE_BATCH} others per call, off the requests' path.
 */
final class ChangeLog {
    /** How many changes one {@link #prune} call deletes at most. */
    static final int PRUNE_BATCH = 10_000;

    private final Transactions tx;
    private final int size;
    private final Duration age;
    private final String eventSql;
    private final String changesSql;
    private final String pruneSql;
    private final String epochSql;

    ChangeLog(String schema, Transactions tx, int size, Duration age) {
        this.tx = tx;
        this.size = size;
        this.age = age;
        String s = schema;
        eventSql = "SELECT version, seating_config FROM " + s + ".events WHERE id = ?";
        changesSql = "SELECT version, type, actor, at, seat_ids, status FROM " + s + ".event_changes "
                + "WHERE event_id = ? AND version > ? ORDER BY version LIMIT ?";
        // A change goes only once both limits are past, and then every older change of its event goes with it.
        pruneSql = "DELETE FROM " + s + ".event_changes c USING (SELECT o.event_id, o.version FROM " + s
                + ".event_changes o JOIN " + s + ".events e ON e.id = o.event_id "
                + "WHERE o.at < ? AND o.version <= e.version - ? LIMIT ?) old "
                + "WHERE c.event_id = old.event_id AND c.version = old.version";
        epochSql = "SELECT epoch FROM " + s + ".store_epoch";
    }

    /**
     * Up to {@code limit} changes after {@code since}; {@code HISTORY_EXPIRED} if the first one after it is
     * gone. A page stops before a version that is missing (pruned while read), so it never skips one.
     */
    Optional<ChangePage> changes(long eventId, long since, int limit) {
        return Optional.ofNullable(tx.read("read changes", connection -> {
            long version;
            SeatingConfig config;
            try (PreparedStatement ps = connection.prepareStatement(eventSql)) {
                ps.setLong(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    version = rs.getLong(1);
                    config = Rows.seatingConfig(rs.getString(2));
                }
            }
            List<LoggedChange> items = read(connection, eventId, since, limit + 1, config);
            boolean complete = !items.isEmpty() && items.get(0).version() == since + 1 || since >= version;
            if (!complete) {
                throw new TicketingException(ErrorCode.HISTORY_EXPIRED, "event " + eventId
                        + " no longer keeps its changes since version " + since);
            }
            int contiguous = 0;
            while (contiguous < items.size() && items.get(contiguous).version() == since + 1 + contiguous) {
                contiguous++;
            }
            boolean more = contiguous > limit || contiguous < items.size();
            List<LoggedChange> page = items.subList(0, Math.min(contiguous, limit));
            Long next = more ? page.get(page.size() - 1).version() : null;
            return new ChangePage(eventId, page, next);
        }));
    }

    private List<LoggedChange> read(Connection connection, long eventId, long since, int limit, SeatingConfig config)
            throws SQLException {
        List<LoggedChange> items = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(changesSql)) {
            ps.setLong(1, eventId);
            ps.setLong(2, since);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array ids = rs.getArray(5);
                    Integer[] seatIds = (Integer[]) ids.getArray();
                    String status = rs.getString(6);
                    List<SeatChange> seats = new ArrayList<>(seatIds.length);
                    for (Integer seatId : seatIds) {
                        seats.add(seat(config, seatId, SeatStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT))));
                    }
                    items.add(new LoggedChange(rs.getLong(1), ChangeType.fromWire(rs.getString(2)), rs.getString(3),
                            Rows.instant(rs, "at"), seats));
                }
            }
        }
        return items;
    }

    /** The coordinates of seat {@code seatId} (1-based: subsection block, then row, then seat). */
    static SeatChange seat(SeatingConfig config, int seatId, SeatStatus status) {
        int perBlock = config.rows() * config.cols();
        int block = (seatId - 1) / perBlock;
        int inBlock = (seatId - 1) % perBlock;
        for (Section section : config.sections()) {
            if (block < section.subsections()) {
                return new SeatChange(section.name(), block + 1, inBlock / config.cols() + 1,
                        inBlock % config.cols() + 1, status);
            }
            block -= section.subsections();
        }
        throw new IllegalStateException("seat " + seatId + " is outside its event's seating config");
    }

    /** Deletes up to {@link #PRUNE_BATCH} changes past both limits of retention; returns how many. */
    int prune(Instant now) {
        return tx.write("prune changes", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(pruneSql)) {
                Rows.setInstant(ps, 1, now.minus(age));
                ps.setInt(2, size);
                ps.setInt(3, PRUNE_BATCH);
                return ps.executeUpdate();
            }
        });
    }

    String epoch() {
        return tx.read("read epoch", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(epochSql);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the schema has no store_epoch row");
                }
                return rs.getString(1);
            }
        });
    }
}
